using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Settings;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Xunit;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// Cluster nodes on 127.0.0.1 with TLS on, created the way every ActorTrain node is (<see cref="ClusterTransport"/>):
/// nodes holding certificates of the cluster's CA form a cluster and talk; a node whose certificate another CA signed
/// is refused and never joins.
/// </summary>
public sealed class ClusterTlsTests : IDisposable
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromSeconds(30); // a refused address is gated 5 s between attempts; loaded CI machines are slow

    /// <summary>How long a refused node is watched, after its first refusal, to see that it still does not join.</summary>
    private static readonly TimeSpan StaysOutWindow = TimeSpan.FromSeconds(3);

    private readonly TestCertificates _certificates = new();
    private readonly List<ActorSystem> _systems = [];

    [Fact]
    public async Task Nodes_with_certificates_of_the_clusters_CA_form_a_cluster_and_exchange_messages()
    {
        var tls = Tls(_certificates.ClusterNodePfx, _certificates.ClusterCaPem);
        var seed = Node(tls);
        var seedAddress = Cluster.Get(seed).SelfAddress;
        var joiner = Node(tls);
        var joinerAddress = Cluster.Get(joiner).SelfAddress;
        seed.ActorOf(Props.Create(() => new Echo()), "echo");

        var seedUp = EventStreamCondition.Arm<ClusterEvent.MemberUp>(seed, e => e.Member.Address.Equals(seedAddress));
        var joinerUpAtSeed = EventStreamCondition.Arm<ClusterEvent.MemberUp>(seed, e => e.Member.Address.Equals(joinerAddress));
        var joinerUpAtJoiner = EventStreamCondition.Arm<ClusterEvent.MemberUp>(joiner, e => e.Member.Address.Equals(joinerAddress));
        Cluster.Get(seed).Join(seedAddress);
        await Within(seedUp, FormTimeout, "the seed to be Up in its own cluster");
        Cluster.Get(joiner).Join(seedAddress);
        await Within(joinerUpAtSeed, FormTimeout, "the seed to see the joiner Up");
        await Within(joinerUpAtJoiner, FormTimeout, "the joiner to see itself Up");

        Assert.Equal("akka.ssl.tcp", seedAddress.Protocol);
        Assert.Equal(2, Cluster.Get(seed).State.Members.Count(m => m.Status == MemberStatus.Up));
        var reply = await joiner.ActorSelection(new RootActorPath(seedAddress) / "user" / "echo")
            .Ask<string>("over TLS", FormTimeout);
        Assert.Equal("over TLS", reply);
    }

    [Fact]
    public async Task A_node_whose_certificate_another_CA_signed_is_refused_and_never_joins()
    {
        var seed = Node(Tls(_certificates.ClusterNodePfx, _certificates.ClusterCaPem));
        var seedAddress = Cluster.Get(seed).SelfAddress;
        var stranger = Node(Tls(_certificates.StrangerNodePfx, _certificates.StrangerCaPem));
        var strangerAddress = Cluster.Get(stranger).SelfAddress;

        var seedUp = EventStreamCondition.Arm<ClusterEvent.MemberUp>(seed, e => e.Member.Address.Equals(seedAddress));
        Cluster.Get(seed).Join(seedAddress);
        await Within(seedUp, FormTimeout, "the seed to be Up in its own cluster");
        var refusedBySeed = EventStreamCondition.Arm<Warning>(seed, IsRefusal);
        var refusedByStranger = EventStreamCondition.Arm<Warning>(stranger, IsRefusal);
        // The stranger's own verdict is not always logged: its handshake also ends when the seed's alert (bad certificate)
        // arrives before the stranger has checked the seed's certificate, and under load that race goes either way on
        // every attempt (5 s apart). Nor is Akka.Remote's warning that the association failed: a clean-clone CI run on a
        // loaded machine saw neither within 30 s. So the test asks for what must hold: one end refuses, and the
        // stranger is no member anywhere, in the seed's view and in its own.
        var strangerUp = EventStreamCondition.Arm<ClusterEvent.MemberUp>(stranger, e => e.Member.Address.Equals(strangerAddress));
        Cluster.Get(stranger).Join(seedAddress);

        // At least one end refuses the other's certificate (either may be first to check), and the stranger is kept out.
        var refusal = await Within(Task.WhenAny(refusedBySeed, refusedByStranger).Unwrap(), RefusalTimeout, "either end to refuse the other's certificate");
        var text = refusal.Message.ToString()!;
        Assert.True(text.Contains("CN=node.stranger") || text.Contains("CN=node.cluster"), text); // the seed names the stranger's, the stranger the seed's
        var outcome = await Task.WhenAny(strangerUp, Task.Delay(StaysOutWindow));
        Assert.NotSame(strangerUp, outcome);
        Assert.Equal([seedAddress], Cluster.Get(seed).State.Members.Select(m => m.Address));
        Assert.DoesNotContain(Cluster.Get(stranger).State.Members, m => m.Status == MemberStatus.Up);
    }

    [Fact]
    public async Task Without_a_trusted_CA_nodes_sharing_one_certificate_join_and_a_node_with_another_is_refused()
    {
        var shared = Tls(_certificates.SelfSignedPfx, trustedCa: "");
        var seed = Node(shared);
        var seedAddress = Cluster.Get(seed).SelfAddress;
        var twin = Node(shared);
        var twinAddress = Cluster.Get(twin).SelfAddress;
        var other = Node(Tls(_certificates.OtherSelfSignedPfx, trustedCa: ""));

        var twinUp = EventStreamCondition.Arm<ClusterEvent.MemberUp>(seed, e => e.Member.Address.Equals(twinAddress));
        Cluster.Get(seed).Join(seedAddress);
        Cluster.Get(twin).Join(seedAddress);
        await Within(twinUp, FormTimeout, "the seed to see the node with the same certificate Up");

        // Either end may check the other's certificate first and end the handshake (see the test above): the seed's
        // verdict alone did not come within 30 s in a clean-clone CI run on a loaded machine.
        // A clean-clone CI run (the chaos project beside it) saw neither verdict within 30 s: the handshake can hang until
        // Akka.Remote gives the attempt up and gates the address. What must hold is that an attempt was made and failed
        // (a refusal at either end, or the other's association with the seed gated) and that the other stays out.
        var refusedBySeed = EventStreamCondition.Arm<Warning>(seed, IsRefusal);
        var refusedByOther = EventStreamCondition.Arm<Warning>(other, w => IsRefusal(w) || IsGating(w, seedAddress));
        var otherAddress = Cluster.Get(other).SelfAddress;
        var otherUp = EventStreamCondition.Arm<ClusterEvent.MemberUp>(other, e => e.Member.Address.Equals(otherAddress));
        Cluster.Get(other).Join(seedAddress);
        await Within(Task.WhenAny(refusedBySeed, refusedByOther).Unwrap(), 2 * RefusalTimeout,
            "either end to refuse the other's certificate (same subject, another key), or the other's association to fail");
        Assert.NotSame(otherUp, await Task.WhenAny(otherUp, Task.Delay(StaysOutWindow)));
        Assert.Equal(2, Cluster.Get(seed).State.Members.Count);
    }

    public void Dispose()
    {
        Task.WhenAll(_systems.Select(s => s.Terminate())).Wait(TimeSpan.FromSeconds(10));
        _certificates.Dispose();
    }

    private static TlsSettings Tls(string certificate, string trustedCa) => new(true, certificate, TestCertificates.Password, trustedCa);

    private ActorSystem Node(TlsSettings tls)
    {
        var config = JobConfig.FromText("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.cluster.log-info = off
            """);
        var system = ClusterTransport.Create(config, tls);
        _systems.Add(system);
        return system;
    }

    private static bool IsRefusal(Warning warning) => warning.Message.ToString()!.StartsWith("TLS: refused", StringComparison.Ordinal);

    /// <summary>Akka.Remote's warning when an association attempt to <paramref name="address"/> failed (the handshake, here).</summary>
    private static bool IsGating(Warning warning, Address address) =>
        warning.Message.ToString() is { } text && text.Contains("is now gated", StringComparison.OrdinalIgnoreCase) && text.Contains(address.ToString(), StringComparison.Ordinal);

    private static async Task<T> Within<T>(Task<T> condition, TimeSpan timeout, string expected)
    {
        try
        {
            return await condition.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"expected {expected} within {timeout.TotalSeconds:0} s");
        }
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
