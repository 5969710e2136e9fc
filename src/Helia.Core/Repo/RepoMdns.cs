namespace Helia.Core.Repo;

/// <summary>Whether the node finds and announces peers on the local network by mDNS.</summary>
public sealed record RepoMdns
{
    public bool Enabled { get; set; } = true;
}
