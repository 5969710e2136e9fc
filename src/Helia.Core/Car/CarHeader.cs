using Helia.Multiformats;

namespace Helia.Core.Car;

/// <summary>The header of a CARv1: its version (always 1) and the CIDs of the DAGs it holds.</summary>
public sealed record CarHeader(IReadOnlyList<Cid> Roots)
{
    /// <summary>The only version this library reads and writes.</summary>
    public const int Version = 1;
}
