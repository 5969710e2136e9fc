namespace Helia.UnixFS.Importer;

/// <summary>Arranges a file's leaves, pushed in file order, into a tree of parent nodes made by a reduce function.</summary>
internal interface IFileLayoutBuilder
{
    ValueTask AddLeafAsync(DagNode leaf, CancellationToken cancellationToken);

    /// <summary>The root; <c>null</c> when a single leaf is the whole file (the caller decides what it becomes).</summary>
    ValueTask<DagNode?> FinishAsync(CancellationToken cancellationToken);

    /// <summary>The single leaf, when <see cref="FinishAsync"/> returned <c>null</c>.</summary>
    DagNode SingleLeaf { get; }
}
