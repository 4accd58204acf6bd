namespace ActorTrain.Core.DataQuality;

/// <summary>
/// What the data check found in one split. <see cref="DuplicateCopies"/> counts records that repeat an earlier record
/// of the same split byte for byte; <see cref="DuplicateGroups"/> the distinct images that occur more than once;
/// <see cref="ConflictingGroups"/> those whose copies carry different labels.
/// </summary>
public sealed record SplitQuality(
    string Name,
    int Count,
    IReadOnlyList<long> LabelCounts,
    int OutOfRangeLabels,
    int OutOfRangeValues,
    int DuplicateGroups,
    int DuplicateCopies,
    int ConflictingGroups);
