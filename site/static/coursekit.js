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
