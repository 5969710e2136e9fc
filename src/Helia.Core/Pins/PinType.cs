namespace Helia.Core.Pins;

public enum PinType
{
    /// <summary>Only the block itself is kept.</summary>
    Direct,

    /// <summary>The block and everything it links to, transitively.</summary>
    Recursive,

    /// <summary>Kept because a recursive pin reaches it.</summary>
    Indirect,
}
