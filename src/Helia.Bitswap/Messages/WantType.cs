namespace Helia.Bitswap.Messages;

/// <summary>What a wantlist entry asks for (the wire's Wantlist.WantType).</summary>
public enum WantType
{
    /// <summary>Send the block itself.</summary>
    Block = 0,

    /// <summary>Say whether you have the block (bitswap 1.2.0).</summary>
    Have = 1,
}
