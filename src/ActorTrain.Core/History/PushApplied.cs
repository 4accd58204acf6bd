using System.Text.Json.Serialization;
using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History;

/// <summary>
/// A shard applied <paramref name="Push"/>; its version became <paramref name="VersionAfter"/> (under BSP every push of
/// the step shares the step's version). <paramref name="Staleness"/> counts the updates the push's gradient missed.
/// <paramref name="ClockGap"/> is SSP's own measure, set only by a shard in SSP for a push computed on weights it released
/// under SSP: how many clocks the pusher's read was
/// ahead of the slowest worker the shard knows at the application (at most the bound, since the slowest only moves on
/// after the read that the bound allowed). <paramref name="Bound"/>, set with it, is the SSP bound the shard released
/// those weights under: after a live change of the bound (ssp:4 to ssp:1) a push read under the old one is judged by it.
/// </summary>
public sealed record PushApplied(int Shard, PushId Push, long VersionAfter, long Staleness,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ClockGap = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Bound = null) : HistoryEvent;
