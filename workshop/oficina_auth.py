"""Autenticação da oficina: código de acesso da turma + senha escolhida no primeiro acesso.

Usada pelo ``jupyterhub_config.py`` (uma máquina) e montada no hub do Kubernetes pelo
``zero-to-jupyterhub.yaml``. O FirstUseAuthenticator (mantido pelo projeto JupyterHub)
guarda as senhas (bcrypt); aqui só se acrescenta o código de acesso, as regras do nome e
mensagens em português.
"""

import grp
import hmac
import pwd
import re

from firstuseauthenticator import FirstUseAuthenticator
from traitlets import Unicode

USERNAME_RE = re.compile(r"^[a-z][a-z0-9]{2,19}$")


class WorkshopAuthenticator(FirstUseAuthenticator):
    """Código de acesso da oficina + senha pessoal definida no primeiro acesso."""

    access_code = Unicode(help="Código de acesso que o instrutor passa à turma.").tag(config=True)
    unix_group = Unicode(
        "",
        help="Grupo Unix dos participantes (uma máquina): nomes de outras contas do sistema são recusados.",
    ).tag(config=True)

    def _system_account_conflict(self, name):
        if not self.unix_group:
            return False
        try:
            existing = pwd.getpwnam(name)
        except KeyError:
            return False
        return existing.pw_gid != grp.getgrnam(self.unix_group).gr_gid

    async def authenticate(self, handler, data):
        code = data.get("access_code", "")
        name = self.normalize_username(data.get("username", "").strip())
        password = data.get("password", "")
        error = None
        if not self.access_code or not hmac.compare_digest(code.encode(), self.access_code.encode()):
            error = "Código de acesso errado. Confira o código que o instrutor passou."
        elif not USERNAME_RE.match(name):
            error = (
                "Nome inválido: use de 3 a 20 letras minúsculas e números, começando com letra "
                "(ex.: ana, joao2)."
            )
        elif len(password) < self.min_password_length:
            error = f"A senha precisa ter pelo menos {self.min_password_length} caracteres."
        elif self._system_account_conflict(name):
            error = "Esse nome já é de uma conta desta máquina. Escolha outro nome."
        if error is None:
            result = await super().authenticate(handler, {"username": name, "password": password})
            if result is not None:
                return result
            error = "Senha errada para esse nome (ou o nome já é de outro participante)."
        handler.custom_login_error = error
        self.log.warning("login recusado para %r: %s", name, error)
        return None
