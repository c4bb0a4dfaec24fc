"""The Concept map page's figure: the concept graph, each concept coloured by the learner's mastery."""

from __future__ import annotations

import plotly.graph_objects as go

# One palette for the whole app (Anki's colours for new / learning / review).


def concept_map_chart(
    graph, positions: dict, mastery: dict, titles: dict[str, str], selected: str | None = None
) -> go.Figure:
    """The concept graph: arrows from prerequisite to concept, nodes coloured by mastery."""
    fig = go.Figure()
    for start, end in graph.edges:
        (x0, y0), (x1, y1) = positions[start], positions[end]
        fig.add_annotation(
            x=x1,
            y=y1,
            ax=x0,
            ay=y0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowsize=1.2,
            arrowwidth=1.2,
            arrowcolor="#aab7b8",
            standoff=12,
            startstandoff=12,
        )
    nodes = list(graph.nodes)
    values = [mastery.get(n) for n in nodes]
    fig.add_trace(
        go.Scatter(
            x=[positions[n][0] for n in nodes],
            y=[positions[n][1] for n in nodes],
            mode="markers",
            cliponaxis=False,
            # Clicking a concept must not fade every other one to near-invisible (defect 9): the
            # chosen one is marked by its size and outline instead.
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}},
            customdata=nodes,
            hovertext=[
                f"{graph.nodes[n].get('name', n)}<br>{titles.get(graph.nodes[n].get('topic'), '')}<br>"
                + (f"mastery {v:.0%}" if v is not None else "no cards yet")
                for n, v in zip(nodes, values, strict=True)
            ],
            hoverinfo="text",
            marker={
                "size": [26 if n == selected else 18 for n in nodes],
                "color": [v if v is not None else 0 for v in values],
                "cmin": 0,
                "cmax": 1,
                "colorscale": [[0, "#d5dbdb"], [0.5, "#f8c471"], [0.85, "#58d68d"], [1, "#1e8449"]],
                "line": {
                    "width": [3 if n == selected else 1 for n in nodes],
                    "color": ["#16191f" if n == selected else "#5f6b7a" for n in nodes],
                },
                # No colour bar: its width is worth more to the labels; the page's caption says
                # what the colours mean.
                "showscale": False,
            },
        )
    )
    # Labels to the right of each node on a white backing, so they stay readable where arrows
    # pass under them and never collide with the neighbouring layer's labels; dark and 12 px
    # (review defect 9: "tiny and grey, crossing the edges").
    for n in nodes:
        x, y = positions[n]
        fig.add_annotation(
            x=x,
            y=y,
            xref="x",
            yref="y",
            text=_wrap(graph.nodes[n].get("name", n), LABEL_WIDTH),
            showarrow=False,
            xanchor="left",
            xshift=12,
            align="left",
            font={"size": 12, "color": "#16191f"},
            bgcolor="rgba(255,255,255,0.85)",
            borderpad=1,
        )
    xs = [p[0] for p in positions.values()] or [0]
    ys = [p[1] for p in positions.values()] or [0]
    tallest = max(ys) - min(ys) + 1
    fig.update_layout(
        height=max(480, int(74 * tallest)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        showlegend=False,
        plot_bgcolor="rgba(0,0,0,0)",
        dragmode=False,
        clickmode="event+select",
    )
    fig.update_xaxes(visible=False, range=[min(xs) - 0.15, max(xs) + 1.0])
    fig.update_yaxes(visible=False, range=[min(ys) - 0.6, max(ys) + 0.9])
    return fig


LABEL_WIDTH = 13  # characters per label line: a layer's labels fit before the next layer's nodes


def _wrap(text: str, width: int = 18) -> str:
    """Break a label over lines so neighbouring labels do not overlap."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)
