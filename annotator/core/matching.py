"""Maximum one-to-one matching of overlapping spans, the heart of the overlap agreement (DESIGN.md §2.5).

The spans of two annotators and their overlaps form a bipartite graph; its connected components are matched one
at a time (in practice a handful of spans each), each by a maximum-weight assignment whose weights make one more
pair always worth more than any gain in shared characters: as many pairs as possible, then the largest total
overlap. Exact integers throughout, so the result is deterministic.
"""

from __future__ import annotations

from collections import defaultdict


def components(edges: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """The edges grouped by connected component of the bipartite overlap graph (each is matched on its own)."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(node: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j, _ in edges:
        ra, rb = root((0, i)), root((1, j))
        if ra != rb:
            parent[ra] = rb
    groups: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for edge in sorted(edges):
        groups[root((0, edge[0]))].append(edge)
    return list(groups.values())


def best_matching(edges: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Maximum-cardinality matching of one component, ties broken by the largest total overlap: a maximum-weight
    assignment (Hungarian algorithm, exact integers) with weight ``big + shared`` per edge, ``big`` exceeding any
    total overlap, so one more pair always outweighs any gain in overlap."""
    rows = sorted({i for i, _, _ in edges})
    cols = sorted({j for _, j, _ in edges})
    transpose = len(rows) > len(cols)
    if transpose:
        rows, cols = cols, rows
    big = sum(w for _, _, w in edges) + 1
    weight: dict[tuple[int, int], int] = {}
    for i, j, w in edges:
        weight[(j, i) if transpose else (i, j)] = big + w
    n, m = len(rows), len(cols)
    # cost[r][c] = -weight (0 for spans that do not overlap); minimise over assignments of every row
    cost = [[0] + [-weight.get((rows[r], cols[c]), 0) for c in range(m)] for r in range(n)]
    cost.insert(0, [0] * (m + 1))
    inf = float("inf")
    u = [0] * (n + 1)
    v = [0] * (m + 1)
    match = [0] * (m + 1)  # match[c] = row assigned to column c (1-based; 0 = none)
    way = [0] * (m + 1)
    for r in range(1, n + 1):
        match[0] = r
        c0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[c0] = True
            r0 = match[c0]
            delta = inf
            c1 = 0
            row = cost[r0]
            for c in range(1, m + 1):
                if not used[c]:
                    cur = row[c] - u[r0] - v[c]
                    if cur < minv[c]:
                        minv[c] = cur
                        way[c] = c0
                    if minv[c] < delta:
                        delta = minv[c]
                        c1 = c
            for c in range(m + 1):
                if used[c]:
                    u[match[c]] += delta
                    v[c] -= delta
                else:
                    minv[c] -= delta
            c0 = c1
            if match[c0] == 0:
                break
        while c0:
            c1 = way[c0]
            match[c0] = match[c1]
            c0 = c1
    pairs = []
    for c in range(1, m + 1):
        r = match[c]
        if r and (rows[r - 1], cols[c - 1]) in weight:
            i, j = rows[r - 1], cols[c - 1]
            pairs.append((j, i) if transpose else (i, j))
    return pairs
