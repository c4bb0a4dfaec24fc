"""The colours the explainer charts share, so a throttle is the same red and a limit the same
grey on every page (Plotly's default qualitative colours, plus a near-black)."""

BLUE = "#1f77b4"
RED = "#d62728"
ORANGE = "#ff7f0e"
GREEN = "#2ca02c"
GREY = "#7f7f7f"
PURPLE = "#9467bd"
BLACK = "#222222"
