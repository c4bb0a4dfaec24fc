"""The script ``trainer serve`` hands to ``streamlit run``, in a folder of its own.

Streamlit puts the folder of the script it runs at the front of ``sys.path``. Were the script in
``trainer/ui/`` beside the page modules, ``profile.py`` would shadow the standard library's
``profile`` and ``pages``, ``common`` or ``study`` any top-level module of those names; in this
folder the only name it adds is ``streamlit_app``.
"""
