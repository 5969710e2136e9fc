namespace Helia.Bitswap.Messages;

/// <summary>A server's answer about a block it did not send (bitswap 1.2.0).</summary>
public enum BlockPresenceType
{
    Have = 0,
    DontHave = 1,
}
