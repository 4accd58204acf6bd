using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Hyperparameters.Policies;
using Xunit;

namespace ActorTrain.Core.Tests.Hyperparameters;

/// <summary>Our schedules and ReduceOnPlateau against the sequences PyTorch itself produced (PyTorchRecords.cs, from record_pytorch.py).</summary>
public sealed class PyTorchReferenceTests
{
    public static TheoryData<string> PlateauCases => [.. PyTorchRecords.Plateau.Select(r => r.Name)];

    public static TheoryData<string> OneCycleCases => [.. PyTorchRecords.OneCycle.Select(r => r.Name)];

    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Evaluation i is at update i + 1; a reduction persists as a change in force from that update, on a constant
    /// schedule at PyTorch's initial lr, so the rate in force is what <see cref="EffectiveLearningRate"/> computes.
    /// </summary>
    [Theory]
    [MemberData(nameof(PlateauCases))]
    public void Reduce_on_plateau_takes_PyTorchs_decisions_bit_for_bit(string name)
    {
        var record = PyTorchRecords.Plateau.Single(r => r.Name == name);
        var policy = record.Policy;
        var rates = new EffectiveLearningRate(new LearningRateSchedule(ScheduleKind.Constant, record.Rate, 1000, 0), []);
        var state = policy.Start;
        for (var i = 0; i < record.Metrics.Length; i++)
        {
            var update = i + 1L;
            var evaluation = new Evaluation(update, Start.AddMinutes(i), record.Metrics[i], double.NaN);
            (state, var decision) = policy.Decide(state, evaluation, rates.At(update));
            if (decision.ChangeAt(update) is { } change) rates = rates.With(change);

            var at = $"{name}, step {i + 1} (metric {record.Metrics[i]}): {decision.Reason}";
            Assert.True(record.Rates[i] == rates.At(update), $"{at}: rate {rates.At(update):R}, PyTorch {record.Rates[i]:R}");
            Assert.True(record.Rates[i] == decision.Rate, $"{at}: decision's rate {decision.Rate:R}, PyTorch {record.Rates[i]:R}");
            Assert.True(record.Bests[i] == state.Best, $"{at}: best {state.Best:R}, PyTorch {record.Bests[i]:R}");
            Assert.True(record.BadEpochs[i] == state.BadEvaluations, $"{at}: bad {state.BadEvaluations}, PyTorch {record.BadEpochs[i]}");
            Assert.True(record.Cooldowns[i] == state.CooldownLeft, $"{at}: cooldown {state.CooldownLeft}, PyTorch {record.Cooldowns[i]}");
            Assert.Equal(i + 1, state.Evaluations);
        }
    }

    [Theory]
    [MemberData(nameof(OneCycleCases))]
    public void One_cycle_gives_PyTorchs_rates_bit_for_bit(string name)
    {
        var record = PyTorchRecords.OneCycle.Single(r => r.Name == name);
        var schedule = record.Schedule;
        for (var u = 0; u < record.TotalSteps; u++)
            Assert.True(record.Rates[u] == schedule.At(u), $"{name}, update {u}: {schedule.At(u):R}, PyTorch {record.Rates[u]:R}");
    }

    [Fact]
    public void Step_gives_PyTorchs_StepLR_rates()
    {
        var schedule = new LearningRateSchedule(ScheduleKind.Step, 0.3, 1000, 0, ScheduleShape.Default with { Step = new StepDecay(4, 0.5) });
        Assert.Equal(PyTorchRecords.Step, Enumerable.Range(0, PyTorchRecords.Step.Length).Select(u => schedule.At(u)));
    }

    /// <summary>PyTorch multiplies by gamma once per step; the closed form raises gamma to a power, which may differ in the last bit.</summary>
    [Fact]
    public void Exponential_per_update_gives_PyTorchs_ExponentialLR_rates_to_the_last_bits()
    {
        var schedule = new LearningRateSchedule(ScheduleKind.Exponential, 0.3, 1000, 0, ScheduleShape.Default with { Exponential = new ExponentialDecay(0.9) });
        for (var u = 0; u < PyTorchRecords.Exponential.Length; u++)
            Assert.Equal(PyTorchRecords.Exponential[u], schedule.At(u), PyTorchRecords.Exponential[u] * 1e-15);
    }
}
