"""The layering check (`make lint`, tests/test_layers.py).

1. No import cycle among memi's modules (grimp's graph of every import, including those inside functions).
2. The import-linter contracts in pyproject.toml: lower layers never import the surfaces.
"""

import sys
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def _graph():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return grimp.build_graph("memi", cache_dir=None)


def import_cycles():
    """Each cycle of module imports in memi, as the list of its modules (the strongly connected components
    of more than one module, or a module importing itself)."""
    graph = _graph()
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    # Tarjan's strongly connected components, iterative.
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, []))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, []):
                    result.append(sorted(component))
    return sorted(result)


def layer_violations():
    """How many import-linter contracts are broken (0 when all are kept); prints the report."""
    return lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)


def main():
    cycles = import_cycles()
    for cycle in cycles:
        print("Import cycle among:", ", ".join(cycle))
    broken = layer_violations()
    return 1 if cycles or broken else 0


if __name__ == "__main__":
    sys.exit(main())
