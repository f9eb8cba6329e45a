"""Render an email from its .txt + .html template pair in the recipient's language."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, locale: str, context: dict) -> RenderedEmail:
    """Render emails/<template>.txt and .html from one context; the .txt sets `subject`."""
    env = current_app.jinja_env
    with force_locale(locale):
        full_context = dict(context)
        current_app.update_template_context(full_context)
        full_context["locale"] = locale
        text_module = env.get_template(f"emails/{template}.txt").make_module(full_context)
        html = env.get_template(f"emails/{template}.html").render(full_context)
    subject = " ".join(str(getattr(text_module, "subject", "")).split())
    if not subject:
        raise ValueError(f"emails/{template}.txt must set a subject")
    return RenderedEmail(subject=subject, text=str(text_module).strip() + "\n", html=html)
