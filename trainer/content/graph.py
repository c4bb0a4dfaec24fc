"""The concept map as a graph, and the order in which new cards are introduced.

Concepts and their prerequisites come from ``content/concepts.yaml``; cards name the concepts
they teach and may name prerequisite cards. A card is introduced only after the cards of the
concepts it builds on, and new cards alternate between topics so a study session mixes ideas
(interleaving helps long-term retention more than blocking one topic at a time).
"""

from __future__ import annotations

import networkx as nx

from trainer.content.model import Bank


def concept_graph(bank: Bank) -> nx.DiGraph[str]:
    """Directed graph: an edge A -> B means B requires A."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for concept in bank.concepts.values():
        graph.add_node(concept.id, name=concept.name, topic=concept.topic)
    for concept in bank.concepts.values():
        for required in concept.requires:
            if required in bank.concepts:
                graph.add_edge(required, concept.id)
    return graph


def card_graph(bank: Bank) -> nx.DiGraph[str]:
    """Directed graph over card ids from card prerequisites and concept prerequisites."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(bank.cards)
    by_concept: dict[str, list[str]] = {}
    for card in bank.cards.values():
        for concept in card.concepts:
            by_concept.setdefault(concept, []).append(card.id)
        for prerequisite in card.prerequisites:
            if prerequisite in bank.cards:
                graph.add_edge(prerequisite, card.id)
    concepts = concept_graph(bank)
    for required, concept in concepts.edges:
        for before in by_concept.get(required, ()):
            for after in by_concept.get(concept, ()):
                if before != after:
                    graph.add_edge(before, after)
    return graph


def introduction_order(bank: Bank) -> list[str]:
    """Card ids in the order new cards are introduced: prerequisites first, topics interleaved.

    Within a topic, cards keep their order in the YAML; across topics the order goes
    round-robin (first card of each topic, then second, ...) wherever prerequisites allow.
    If the content has a prerequisite cycle (``trainer check`` reports it) the cycle's edges
    are ignored rather than failing the app.
    """
    topic_rank = {topic: i for i, topic in enumerate(bank.topics)}
    index_in_topic: dict[str, int] = {}
    seen: dict[str, int] = {}
    for card in bank.cards.values():
        index_in_topic[card.id] = seen.get(card.topic, 0)
        seen[card.topic] = index_in_topic[card.id] + 1
    graph = card_graph(bank)
    while not nx.is_directed_acyclic_graph(graph):
        cycle = nx.find_cycle(graph)
        graph.remove_edge(*cycle[-1][:2])

    def key(card_id: str):
        card = bank.cards[card_id]
        return (index_in_topic[card_id], topic_rank.get(card.topic, len(topic_rank)), card_id)

    return list(nx.lexicographical_topological_sort(graph, key=key))


def concept_cards(bank: Bank) -> dict[str, list[str]]:
    """Card ids per concept id."""
    cards: dict[str, list[str]] = {c: [] for c in bank.concepts}
    for card in bank.cards.values():
        for concept in card.concepts:
            cards.setdefault(concept, []).append(card.id)
    return cards


def mastery(bank: Bank, recall: dict[str, float]) -> dict[str, float | None]:
    """Mean predicted recall of each concept's cards (never-studied cards count as 0).

    None for a concept with no cards at all, so the map can show it as "no cards yet".
    """
    result: dict[str, float | None] = {}
    for concept, card_ids in concept_cards(bank).items():
        result[concept] = (sum(recall.get(c, 0.0) for c in card_ids) / len(card_ids)) if card_ids else None
    return result


def layered_positions(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Positions for drawing: x is the depth in the prerequisite chain, y spreads each layer."""
    layers: dict[str, int] = {}
    for node in nx.topological_sort(graph):
        preds = list(graph.predecessors(node))
        layers[node] = 1 + max((layers[p] for p in preds), default=-1)
    by_layer: dict[int, list[str]] = {}
    for node, layer in layers.items():
        by_layer.setdefault(layer, []).append(node)
    # Order each layer by the mean rank of its prerequisites (the barycentre heuristic), which
    # keeps arrows short and crossings few; the first layer is grouped by topic.
    positions: dict[str, tuple[float, float]] = {}
    rank: dict[str, float] = {}
    for layer in sorted(by_layer):
        nodes = by_layer[layer]

        def order(node: str) -> tuple:
            preds = [rank[p] for p in graph.predecessors(node) if p in rank]
            centre = sum(preds) / len(preds) if preds else float("inf")
            return (centre, graph.nodes[node].get("topic", ""), node)

        nodes.sort(key=order)
        count = len(nodes)
        for i, node in enumerate(nodes):
            rank[node] = i - (count - 1) / 2
            positions[node] = (float(layer), (count - 1) / 2 - i)
    return positions
