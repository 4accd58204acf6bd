using ActorTrain.Core.DataQuality;

namespace ActorTrain.Torch.Data.Quality;

/// <summary>The splits as the data check reads them, and what could not be read at all (a whole file, or records without a label).</summary>
public sealed record CheckedRecords(IReadOnlyList<SplitRecords> Splits, IReadOnlyList<string> Unreadable);
