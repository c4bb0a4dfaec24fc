"""Who is using the trainer and what they may do: the signed-in identity, roles from the
operator's configuration, and the permission checks the core actions call.

It sits just above the store (it reads which profile belongs to whom) and below study, exams and
workshops, which call :func:`trainer.access.permissions.require` and ``require_profile`` so a
refusal happens in the core, whatever the page shows. Nothing here imports streamlit: the UI
turns ``st.user`` into an :class:`~trainer.access.identity.Identity` (``trainer/ui/identity.py``).
"""
