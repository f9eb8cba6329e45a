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
    """Render staff's wording for this message if any, else emails/<template>.txt + .html."""
    from coordination.notifications.overrides import render_wording, template_for

    wording = template_for(template, locale, context)
    if wording is not None:
        return render_wording(template, wording.subject, wording.body, locale, context)
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
