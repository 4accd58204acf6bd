using ActorTrain.Core.Hyperparameters;

namespace ActorTrain.Core.Tests.Hyperparameters;

/// <summary>One OneCycleLR run recorded from PyTorch (see record_pytorch.py): its arguments and the rate of each update.</summary>
internal sealed record OneCycleRecord(
    string Name, double MaxLr, int TotalSteps, double PctStart, string Anneal, double DivFactor, double FinalDivFactor, bool ThreePhase,
    double[] Rates)
{
    public LearningRateSchedule Schedule => new(ScheduleKind.OneCycle, MaxLr, TotalSteps, WarmupUpdates: 0,
        ScheduleShape.Default with
        {
            OneCycle = new OneCycleShape(PctStart, Anneal == "linear" ? AnnealStrategy.Linear : AnnealStrategy.Cos, DivFactor, FinalDivFactor, ThreePhase),
        });
}
