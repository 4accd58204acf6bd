using ActorTrain.Actors.Settings;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Hyperparameters.Policies;
using ActorTrain.Core.Optimizers;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Models;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

/// <summary>A job's HOCON to settings: reference.conf's defaults, unknown keys, bad values, overrides.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("reference.conf alone")]
    [InlineData("an empty job file")]
    public void The_defaults_are_those_documented_in_reference_conf(string source)
    {
        var settings = ActorTrainSettings.Create(source == "an empty job file" ? JobConfig.FromText("") : JobConfig.Reference);

        Assert.Equal(new JobSettings("job", 42, Epochs: 5, ConsistencyMode.Asp, Workers: 2, Shards: 2, Staleness: 3, InnerSteps: 8), settings.Job);
        Assert.Equal(ModelKind.Mlp, settings.Model.Kind);
        Assert.Equal([256, 128], settings.Model.Hidden);
        Assert.Equal(new DataSettings(DataTask.FashionMnist, Path: null, ValidationSize: 5000, Download: true,
            SyntheticTrainSize: 8192, SyntheticTestSize: 2048, SyntheticFeatures: 32, SyntheticClasses: 4, SyntheticNoise: 1.0f), settings.Data);
        Assert.Equal(new TrainingSettings(MicroBatchSize: 64, BatchSize: 256), settings.Training);
        Assert.Equal(4, settings.Training.MicroBatchesPerStep);
        Assert.Equal(new OptimizerSpec(OptimizerKind.Sgd, LearningRate: 0.05, Momentum: 0.9, WeightDecay: 0, Beta1: 0.9, Beta2: 0.999,
            Nesterov: false, ScheduleKind.Constant, WarmupUpdates: 0, ScheduleShape.Default), settings.Optimizer);
        Assert.Equal(new WireSettings(PayloadEncoding.F32, ChunkSize: 1 << 20, ReassemblyTimeout: TimeSpan.FromSeconds(30), MaxReassemblies: 256, ResendAfter: TimeSpan.FromSeconds(5)),
            settings.Wire);
        Assert.Equal(new EvaluatorSettings(EveryUpdates: 500), settings.Evaluator);
        Assert.Equal(new RunSettings("runs", TimeSpan.FromSeconds(1)), settings.Run);
        Assert.Equal(new TorchSettings(Threads: 1), settings.Torch);
        Assert.Equal(new LocalSgdSettings(OuterLearningRate: 1.0), settings.LocalSgd);
        Assert.Equal(new DiLoCoSettings(InnerLearningRate: 0.001, InnerWeightDecay: 0.01, InnerBeta1: 0.9, InnerBeta2: 0.999,
            OuterLearningRate: 0.7, OuterMomentum: 0.9, OuterPushesPerStep: 0), settings.DiLoCo);
    }

    [Fact]
    public void Schedules_and_policies_are_read_from_their_keys_and_refuse_what_is_not_built()
    {
        var settings = ActorTrainSettings.Create(JobConfig.FromText("""
            actortrain.optimizer { schedule = one-cycle, step { size = 50, gamma = 0.5 } }
            actortrain.optimizer.one-cycle { pct-start = 0.25, anneal = linear, three-phase = on }
            actortrain.policy.reduce-on-plateau { enabled = on, metric = validation-accuracy, patience = 2, factor = 0.5, threshold-mode = abs, min-lr = 0.001 }
            actortrain.policy.early-stopping { enabled = on, patience = 4, min-delta = 0.01 }
            """));

        Assert.Equal(ScheduleKind.OneCycle, settings.Optimizer.Schedule);
        Assert.Equal(new OneCycleShape(PctStart: 0.25, AnnealStrategy.Linear, ThreePhase: true), settings.Optimizer.Shape!.OneCycle);
        Assert.Equal(new StepDecay(50, 0.5), settings.Optimizer.Shape.Step);
        var plateau = settings.Policy.Policies.Plateau!;
        Assert.Equal((WatchedMetric.ValidationAccuracy, MetricMode.Max, 2, 0.5, ThresholdMode.Absolute, 0.001),
            (plateau.Metric, plateau.Mode, plateau.Patience, plateau.Factor, plateau.ThresholdMode, plateau.MinRate));
        var stopping = settings.Policy.Policies.Stopping!;
        Assert.Equal((WatchedMetric.ValidationLoss, MetricMode.Min, 4, 0.01, false), (stopping.Metric, stopping.Mode, stopping.Patience, stopping.MinDelta, stopping.RestoreBest));
        Assert.False(ActorTrainSettings.Create(JobConfig.Reference).Policy.Policies.Any);

        Assert.True(ActorTrainSettings.Create(JobConfig.FromText("actortrain.policy.early-stopping { enabled = on, restore-best = on }"))
            .Policy.Policies.Stopping!.RestoreBest);
        var refused = Assert.Throws<SettingsException>(() => ActorTrainSettings.Create(JobConfig.FromText(
            "actortrain.job.mode = local-sgd\nactortrain.policy.divergence.enabled = on")));
        Assert.Contains("actortrain.policy.divergence.enabled = on: not available with job.mode = local-sgd", refused.Message);
        var factor = Assert.Throws<SettingsException>(() => ActorTrainSettings.Create(JobConfig.FromText(
            "actortrain.policy.reduce-on-plateau { enabled = on, factor = 2 }")));
        Assert.Contains("actortrain.policy.reduce-on-plateau.factor", factor.Message);
    }

    [Fact]
    public void A_misspelt_key_stops_the_load_naming_the_full_key()
    {
        var error = Assert.Throws<SettingsException>(() => JobConfig.FromText("actortrain.job.wokers = 2"));

        Assert.Equal("the job config has unknown key actortrain.job.wokers: reference.conf lists every key ActorTrain reads (a misspelling?).",
            error.Message);
    }

    [Fact]
    public void Every_unknown_key_is_named_including_unknown_sections_and_nested_keys()
    {
        var error = Assert.Throws<SettingsException>(() => JobConfig.FromText("""
            actortrain {
              optimiser { kind = adam }
              data.synthetic.sizes = 3
              job.workers = 2
            }
            akka.loglevel = WARNING
            """));

        Assert.Equal("the job config has unknown keys actortrain.optimiser, actortrain.data.synthetic.sizes: " +
            "reference.conf lists every key ActorTrain reads (a misspelling?).", error.Message);
    }

    [Fact]
    public void Keys_outside_actortrain_are_not_checked()
    {
        var config = JobConfig.FromText("akka.loglevel = WARNING\nsomething-else.entirely = 1");

        Assert.Equal("WARNING", config.GetString("akka.loglevel"));
    }

    public static TheoryData<string, string> BadValues => new()
    {
        { "actortrain.job.workers = 0", "actortrain.job.workers = 0 is not valid: expected an integer from 1 to 1024." },
        { "actortrain.model.dropout = 0.95", "actortrain.model.dropout = 0.95 is not valid: expected a number from 0 to 0.9." },
        { "actortrain.model.batch-norm = on", "actortrain.model.batch-norm = on is not valid: expected off unless model.kind = cnn (the mlp has no batch normalisation)." },
        { "actortrain.data.augmentation.crop-padding = 15", "actortrain.data.augmentation.crop-padding = 15 is not valid: expected an integer from 0 to 14." },
        { "actortrain.data.task = synthetic\nactortrain.data.augmentation.horizontal-flip = on",
            "actortrain.data.augmentation.horizontal-flip = on is not valid: expected 0 and off: augmentation is for images, and the synthetic task's samples are feature vectors." },
        { "actortrain.job.mode = foo", "actortrain.job.mode = foo is not valid: expected one of asp, bsp, ssp, local-sgd, diloco." },
        { "actortrain.job.inner-steps = 0", "actortrain.job.inner-steps = 0 is not valid: expected an integer from 1 to 1000000." },
        { "actortrain.diloco.outer.momentum = 1.5", "actortrain.diloco.outer.momentum = 1.5 is not valid: expected a number from 0 to 1." },
        {
            "actortrain.training.batch-size = 100",
            "actortrain.training.batch-size = 100 is not valid: expected a multiple of actortrain.training.micro-batch-size (64)."
        },
        { "actortrain.optimizer.learning-rate = abc", "actortrain.optimizer.learning-rate = abc is not valid: expected a number from 0 to 100." },
        { "actortrain.job.seed = -1", "actortrain.job.seed = -1 is not valid: expected a non-negative integer." },
        { "actortrain.data.download = maybe", "actortrain.data.download = maybe is not valid: expected on or off." },
        { "actortrain.wire.encoding = f64", "actortrain.wire.encoding = f64 is not valid: expected one of f32, bf16, f16." },
        {
            "actortrain.wire.chunk-size = 100",
            "actortrain.wire.chunk-size = 100 is not valid: expected a size from 1024 to 1073741824 bytes such as 64KiB or 1MiB."
        },
        {
            "actortrain.wire.chunk-size = lots",
            "actortrain.wire.chunk-size = lots is not valid: expected a size from 1024 to 1073741824 bytes such as 64KiB or 1MiB."
        },
        {
            "actortrain.run.progress-interval = 0s",
            "actortrain.run.progress-interval = 0s is not valid: expected a positive duration such as 500ms, 2s or 1m."
        },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_is_reported_with_its_key_its_value_and_what_was_expected(string line, string message)
    {
        var config = JobConfig.FromText(line);

        var error = Assert.Throws<SettingsException>(() => ActorTrainSettings.Create(config));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("64KiB", 65536)]
    [InlineData("1MiB", 1048576)]
    [InlineData("500000", 500000)]
    public void A_chunk_size_is_read_with_its_unit(string value, int bytes) =>
        Assert.Equal(bytes, ActorTrainSettings.Create(JobConfig.FromText($"actortrain.wire.chunk-size = {value}")).Wire.ChunkSize);

    [Fact]
    public void An_override_wins_over_the_file_and_a_later_override_over_an_earlier_one()
    {
        var config = JobConfig.FromText(
            "actortrain.job { workers = 3, mode = bsp }",
            ["actortrain.job.workers = 5", "actortrain.job.shards = 4", "actortrain.job.shards = 6"]);

        var job = ActorTrainSettings.Create(config).Job;

        Assert.Equal((5, 6, ConsistencyMode.Bsp), (job.Workers, job.Shards, job.Mode));
    }

    [Fact]
    public void Local_training_takes_the_job_s_optimizer_for_local_SGD_and_AdamW_with_the_job_s_schedule_for_DiLoCo()
    {
        var config = JobConfig.FromText("""
            actortrain {
              job { mode = diloco, inner-steps = 16 }
              optimizer { kind = sgd, learning-rate = 0.03, momentum = 0.5, schedule = cosine, warmup-updates = 10 }
              local-sgd.outer-learning-rate = 0.5
              diloco.inner { learning-rate = 0.002, weight-decay = 0.1, beta2 = 0.95 }
              diloco.outer { learning-rate = 0.8, momentum = 0.85 }
            }
            """);

        var settings = ActorTrainSettings.Create(config);
        var local = settings.LocalTraining;

        Assert.Equal(16, local.InnerSteps);
        Assert.Equal(settings.Optimizer, local.Inner(ConsistencyMode.LocalSgd));
        Assert.Equal(new OptimizerSpec(OptimizerKind.AdamW, 0.002, 0, 0.1, 0.9, 0.95, false, ScheduleKind.Cosine, WarmupUpdates: 10, ScheduleShape.Default),
            local.Inner(ConsistencyMode.DiLoCo));
        Assert.Equal(new OuterStepSpec(0.5, Momentum: 0, PushesPerStep: 1), local.Outer(PushKind.LocalSgdPseudoGradient));
        // pushes-per-step = 0: the job's workers (2 by default).
        Assert.Equal(new OuterStepSpec(0.8, 0.85, PushesPerStep: 2), local.Outer(PushKind.DiLoCoPseudoGradient));
        Assert.Equal("diloco:16", settings.Job.ModeName);
    }

    [Fact]
    public void An_override_with_an_unknown_key_is_rejected_like_one_in_the_file()
    {
        var error = Assert.Throws<SettingsException>(() => JobConfig.FromText("", ["actortrain.training.micro-batch = 32"]));

        Assert.Equal("the job config has unknown key actortrain.training.micro-batch: reference.conf lists every key ActorTrain reads (a misspelling?).",
            error.Message);
    }

    [Fact]
    public void A_single_number_where_the_hidden_widths_list_belongs_is_reported_not_read_as_no_hidden_layers()
    {
        var config = JobConfig.FromText("actortrain.model.hidden = 256");

        var error = Assert.Throws<SettingsException>(() => ActorTrainSettings.Create(config));

        Assert.StartsWith("actortrain.model.hidden = 256 is not valid: expected a list of integers such as [256, 128]", error.Message);
    }

    [Fact]
    public void A_list_where_a_single_value_belongs_is_reported_with_the_list_as_the_value()
    {
        var config = JobConfig.FromText("actortrain.job.workers = [1, 2]");

        var error = Assert.Throws<SettingsException>(() => ActorTrainSettings.Create(config));

        Assert.Matches(@"^actortrain\.job\.workers = \[1, ?2\] ", error.Message);
    }

    [Fact]
    public void An_integer_beyond_the_int_range_is_told_the_upper_bound_not_only_the_lower_one_it_meets()
    {
        var config = JobConfig.FromText("actortrain.evaluator.every-updates = 3000000000");

        var error = Assert.Throws<SettingsException>(() => ActorTrainSettings.Create(config));

        Assert.StartsWith("actortrain.evaluator.every-updates = 3000000000 is not valid: expected an integer", error.Message);
        Assert.Contains("2147483647", error.Message);
    }
}
