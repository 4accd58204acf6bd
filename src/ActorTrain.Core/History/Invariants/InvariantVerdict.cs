namespace ActorTrain.Core.History.Invariants;

/// <summary>
/// Whether invariant <paramref name="Number"/> of DESIGN.md held in a history. <paramref name="Detail"/> names the
/// first violations when it did not, and what was counted when it did. An invariant that did not apply to the run
/// (no reference to compare with, a mode it does not govern) is <paramref name="Checked"/> false and holds.
/// </summary>
public sealed record InvariantVerdict(int Number, string Name, bool Holds, string Detail, bool Checked = true)
{
    public static InvariantVerdict NotChecked(int number, string name, string reason) => new(number, name, true, reason, false);
}
