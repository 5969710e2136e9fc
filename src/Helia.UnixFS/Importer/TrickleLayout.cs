namespace Helia.UnixFS.Importer;

/// <summary>
/// The trickle layout (go-unixfs and ipfs-unixfs-importer), streaming. Recursively, a node of depth limit D holds up to
/// <c>maxChildren</c> leaves, then <c>layerRepeat</c> subtrees of limit 1, <c>layerRepeat</c> of limit 2, … up to D - 1;
/// the root has no limit. Leaves arrive one at a time, so the recursion is kept as a stack of open nodes: the top one
/// takes the next leaf, and nodes are reduced as soon as they are full, holding one open node per depth.
/// </summary>
internal sealed class TrickleLayout(int maxChildren, int layerRepeat, Func<List<DagNode>, CancellationToken, ValueTask<DagNode>> reduce)
    : IFileLayoutBuilder
{
    public const int DefaultLayerRepeat = 4;

    private readonly Stack<OpenNode> _open = new([new OpenNode(DepthLimit: null)]);

    public DagNode SingleLeaf => _open.Peek().Children[0];

    public async ValueTask AddLeafAsync(DagNode leaf, CancellationToken cancellationToken)
    {
        while (true)
        {
            OpenNode top = _open.Peek();
            if (top.ChildDepth == 0)
            {
                if (top.Children.Count < maxChildren)
                {
                    top.Children.Add(leaf);
                    return;
                }

                top.ChildDepth = 1;   // its leaves are full: subtrees of limit 1 come next
            }

            if (top.DepthLimit is int limit && top.ChildDepth >= limit)
            {
                _open.Pop();
                DagNode subtree = await reduce(top.Children, cancellationToken);
                _open.Peek().AddSubtree(subtree, layerRepeat);
                continue;
            }

            _open.Push(new OpenNode(top.ChildDepth));
        }
    }

    public async ValueTask<DagNode?> FinishAsync(CancellationToken cancellationToken)
    {
        if (_open.Count == 1 && _open.Peek().Children.Count == 1 && _open.Peek().ChildDepth == 0)
        {
            return null;
        }

        while (_open.Count > 1)
        {
            OpenNode top = _open.Pop();
            _open.Peek().AddSubtree(await reduce(top.Children, cancellationToken), layerRepeat);
        }

        return await reduce(_open.Peek().Children, cancellationToken);
    }

    /// <summary>A node still being filled: its leaves, then its subtrees; ChildDepth 0 while it takes leaves.</summary>
    private sealed record OpenNode(int? DepthLimit)
    {
        public List<DagNode> Children { get; } = [];

        public int ChildDepth { get; set; }

        public int SubtreesAtDepth { get; set; }

        public void AddSubtree(DagNode subtree, int layerRepeat)
        {
            Children.Add(subtree);
            if (++SubtreesAtDepth == layerRepeat)
            {
                ChildDepth++;
                SubtreesAtDepth = 0;
            }
        }
    }
}
