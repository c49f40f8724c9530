"""A hierarchical run's dendrogram as an SVG drawing: lines in pixel coordinates, drawn on the server
(the tree is small: the last merges of the Ward tree, see ``engine.Dendrogram``)."""

from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN = 800, 280, 24


@dataclass(frozen=True)
class DendrogramDrawing:
    width: int
    height: int
    lines: list[tuple[float, float, float, float]]
    leaves: list[tuple[float, int]]
    cut: float | None


def dendrogram_drawing(*, dendrogram: dict, k: int) -> DendrogramDrawing:
    """Each merge as a ⊓ joining its two children at its height; leaves along the bottom with the
    number of customers each holds; a dashed cut where the tree splits into ``k`` segments."""
    leaf_count = len(dendrogram["leaf_sizes"])
    order = _leaf_order(dendrogram["children"], leaf_count)
    step = (WIDTH - 2 * MARGIN) / max(leaf_count - 1, 1)
    x = {leaf: MARGIN + position * step for position, leaf in enumerate(order)}
    top = max(dendrogram["heights"], default=1.0) or 1.0

    def y(height: float) -> float:
        return HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * height / top

    level = {leaf: y(0.0) for leaf in range(leaf_count)}
    lines = []
    for merge, ((left, right), height) in enumerate(
        zip(dendrogram["children"], dendrogram["heights"], strict=True)
    ):
        node, joined = leaf_count + merge, y(height)
        lines += [(x[left], level[left], x[left], joined), (x[right], level[right], x[right], joined)]
        lines.append((x[left], joined, x[right], joined))
        x[node], level[node] = (x[left] + x[right]) / 2, joined
    heights = dendrogram["heights"]
    cut = (y(heights[-k]) + y(heights[-k + 1])) / 2 if 2 <= k <= len(heights) else None
    leaves = [(x[leaf], dendrogram["leaf_sizes"][leaf]) for leaf in order]
    return DendrogramDrawing(width=WIDTH, height=HEIGHT, lines=lines, leaves=leaves, cut=cut)


def _leaf_order(children: list[list[int]], leaf_count: int) -> list[int]:
    """Leaves left to right so that no line crosses: a depth-first walk from the root."""
    if not children:
        return list(range(leaf_count))
    order, stack = [], [leaf_count + len(children) - 1]
    while stack:
        node = stack.pop()
        if node < leaf_count:
            order.append(node)
        else:
            left, right = children[node - leaf_count]
            stack += [right, left]
    return order
