"""Entry point: builds the navigation. Each page is a small module in trainer/ui/."""

from trainer.ui.pages import run_app

run_app()
