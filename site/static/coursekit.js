// Em cada aula do site: uma linha com o notebook, o PDF e os slides para baixar.
document.addEventListener("DOMContentLoaded", function () {
  var m = window.location.pathname.match(/\/(notebooks|exercises)\/(\d\d_[^/]+)\.html$/);
  var article = document.querySelector(".bd-article");
  if (!m || !article) return;
  var stem = m[2], box = document.createElement("p");
  box.className = "coursekit-downloads";
  if (m[1] === "notebooks") {
    var exercises = (window.COURSEKIT_EXERCISES || {})[stem.slice(0, 2)];
    box.innerHTML = 'Baixar esta aula: <a href="../downloads/notebooks/' + stem + '.ipynb" download>notebook (.ipynb)</a> · ' +
      '<a href="../downloads/pdf/' + stem + '.pdf">PDF</a> · <a href="../slides/' + stem + '.html">slides</a>' +
      (exercises ? ' · <a href="../downloads/exercicios/' + exercises + '" download>exercícios (.ipynb)</a>' : '');
  } else {
    box.innerHTML = 'Baixar este caderno de exercícios: <a href="../downloads/exercicios/' + stem + '.ipynb" download>.ipynb</a> ' +
      '(abra no JupyterLab e confira cada resposta com <code>check(...)</code>)';
  }
  article.insertBefore(box, article.firstChild);
});

// Busca sem acentos: "retropropagacao" acha "retropropagação". O índice (extensão
// coursekit_site) guarda as palavras sem acento; aqui a consulta perde os acentos antes do
// radical (stemmer), do mesmo jeito. Os trechos mostrados nos resultados saem sem fórmulas
// em LaTeX cru nem código.
function coursekitFold(word) {
  return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Stemmer === "function" && !Stemmer.coursekitFolded) {
    var Original = Stemmer;
    Stemmer = function () {
      var inner = new Original();
      this.stemWord = function (w) { return inner.stemWord(coursekitFold(w.toLowerCase())); };
    };
    Stemmer.coursekitFolded = true;
  }
  if (typeof Search === "object" && Search.htmlToText && !Search.coursekitClean) {
    var toText = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      var doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(".math, .highlight, pre, .cell_input, .cell_output, .coursekit-downloads, .toctree-wrapper")
        .forEach(function (el) { el.remove(); });
      return toText(doc.documentElement.outerHTML, anchor);
    };
    Search.coursekitClean = true;
  }
});

// Celular: fórmulas e tabelas mais largas que a tela ganham um aviso de que rolam para o lado;
// cada figura de aula vira um link para a imagem em tamanho real (um toque abre).
function coursekitMarkScrollables() {
  var article = document.querySelector(".bd-article");
  if (!article) return;
  article.querySelectorAll('mjx-container[display="true"], table').forEach(function (el) {
    var wide = el.scrollWidth > el.clientWidth + 1;
    // o aviso vai depois do bloco da fórmula (div.math põe o número da equação ao lado)
    var anchor = el.parentElement.matches("div.math") ? el.parentElement : el;
    var hint = anchor.nextElementSibling && anchor.nextElementSibling.classList.contains("ck-scroll-hint");
    if (wide && !el.classList.contains("ck-scrollable")) {
      el.classList.add("ck-scrollable");
      el.setAttribute("tabindex", "0");
      if (!hint) {
        var p = document.createElement("p");
        p.className = "ck-scroll-hint";
        p.textContent = el.tagName === "TABLE" ? "↔ a tabela continua: role para o lado" : "↔ a fórmula continua: role para o lado";
        anchor.insertAdjacentElement("afterend", p);
      }
    }
  });
}
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".bd-article .cell_output img").forEach(function (img) {
    if (img.closest("a")) return;
    var link = document.createElement("a");
    link.href = img.getAttribute("src");
    link.className = "ck-figure-link";
    link.title = "Abrir a figura em tamanho real";
    img.parentNode.insertBefore(link, img);
    link.appendChild(img);
  });
});
window.addEventListener("load", function () {
  coursekitMarkScrollables();
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) MathJax.startup.promise.then(coursekitMarkScrollables);
});
window.addEventListener("resize", coursekitMarkScrollables);
