namespace Helia.UnixFS.Importer;

/// <summary>
/// The balanced layout, streaming: leaves are grouped <c>maxChildren</c> at a time into parents level by level, which
/// gives the same tree as batching all leaves, then all parents, and so on (ipfs-unixfs-importer and go-unixfs), while
/// holding at most <c>maxChildren</c> nodes per level.
/// </summary>
internal sealed class BalancedLayout(int maxChildren, Func<List<DagNode>, CancellationToken, ValueTask<DagNode>> reduce) : IFileLayoutBuilder
{
    private readonly List<List<DagNode>> _levels = [[]];

    public async ValueTask AddLeafAsync(DagNode leaf, CancellationToken cancellationToken)
    {
        _levels[0].Add(leaf);
        for (int level = 0; level < _levels.Count && _levels[level].Count == maxChildren; level++)
        {
            DagNode parent = await reduce(_levels[level], cancellationToken);
            _levels[level] = [];
            if (level + 1 == _levels.Count)
            {
                _levels.Add([]);
            }

            _levels[level + 1].Add(parent);
        }
    }

    public async ValueTask<DagNode?> FinishAsync(CancellationToken cancellationToken)
    {
        for (int level = 0; level < _levels.Count; level++)
        {
            List<DagNode> nodes = _levels[level];
            bool isTop = level == _levels.Count - 1;
            if (isTop && nodes.Count == 1)
            {
                return level == 0 ? null : nodes[0];
            }

            if (nodes.Count == 0)
            {
                continue;
            }

            DagNode parent = await reduce(nodes, cancellationToken);
            if (isTop)
            {
                return parent;
            }

            _levels[level + 1].Add(parent);
        }

        throw new InvalidOperationException("The layout has no leaves.");
    }

    public DagNode SingleLeaf => _levels[0][0];
}
