"""Lambda versions, aliases and CodeDeploy traffic shifting: the Aliases & canaries explainer.

- :mod:`.topology`: a function's versions and aliases, who invokes what, and what AWS allows.
- :mod:`.strategies`: CodeDeploy's predefined canary, linear and all-at-once configurations.
- :mod:`.deployment` and :mod:`.canary`: a deployment's settings and its simulation.
- :mod:`.scenario`, :mod:`.presets` and :mod:`.links`: what the page shows, its lessons, its URL.

No streamlit here: the page (``trainer.ui.aliases``) and the command
(``trainer simulate canary``) both use this package.
"""
