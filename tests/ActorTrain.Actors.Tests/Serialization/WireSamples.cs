using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Torch.Codecs;

namespace ActorTrain.Actors.Tests.Serialization;

/// <summary>
/// One sample of every wire message, every field set to a value that is not its type's default and that
/// would not survive a narrowing (longs above int range, non-ASCII text, fractional floats).
/// A new message type needs a sample here, or the round-trip tests fail.
/// </summary>
internal static class WireSamples
{
    private const long BigIncarnation = (1L << 40) + 3;
    private const long BigSeq = 5_000_000_007L;

    public static readonly TensorPayload F32Payload =
        TensorPayload.Encode([1.5f, -2.25f, 3.1415927f, float.Epsilon, -0f, 1e30f, 0.1f, -7f], PayloadEncoding.F32);

    public static readonly TensorPayload Bf16Payload = TensorPayload.Encode([0.1f, -3.75f, 65504f], PayloadEncoding.Bf16);

    private static readonly ParametersEvaluated Evaluated =
        new(Updates: 12_345, Version: BigSeq, ValidationLoss: 0.4321, ValidationAccuracy: 0.8833, Final: true,
            TestLoss: 0.51, TestAccuracy: 0.877, WeightsSha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            ValidationConfusion: [3, 1, 0, 5], TestConfusion: [BigSeq, 0, 2, 7]);

    private static readonly DedupRow Row = new("worker-ü-3", BigIncarnation, Watermark: BigSeq, AppliedAboveWatermark: [BigSeq + 2, BigSeq + 5]);

    private static readonly MicroBatchRef Ref = new(Epoch: 4, MicroBatch: 901);

    private static readonly ModeChanged Mode = new("local-sgd", 3, AtUpdate: BigSeq, InnerSteps: 12, StepOffset: -BigSeq, FromStep: BigSeq + 1);

    private static readonly CheckpointStarted Started =
        new(Id: BigSeq, AtVersion: BigSeq - 9, Updates: BigSeq - 9, Ref, NotDone: [Ref with { MicroBatch = 3 }, Ref with { Epoch = 3 }], Mode);

    private static readonly CheckpointRecorded Recorded = new(Id: BigSeq, Updates: BigSeq - 9, TrainingSeconds: 61.25, ShardVersions: [BigSeq - 9, 0, 7]);

    private static readonly LearningRateChanged RateChange =
        new(AtUpdate: BigSeq, Value: 0.3, Absolute: false, LearningRateChanged.Policy, "validation loss 0.51 at update 5000000007: plateau — ü",
            AfterEvaluations: 1_000_003, Rate: 0.0015);

    private static readonly EvaluationRecorded EvaluationJudged =
        new(Update: BigSeq, Version: BigSeq + 1, ValidationLoss: 0.4321, ValidationAccuracy: 0.8833, AtUnixMilliseconds: 1_764_800_000_123);

    private static readonly BestCheckpointMarked Best = new(CheckpointId: BigSeq, Updates: BigSeq + 3, EvaluationUpdate: BigSeq, "validation loss — ü", Value: 0.3125);

    private static readonly EarlyStopped Stopped = new(AtUpdate: BigSeq, LearningRateChanged.Ctl, "stopped by actortrain ctl — ü", CheckpointId: BigSeq - 1);

    private static readonly RolledBack Rollback = new(Rollback: 3, CheckpointId: BigSeq, Updates: BigSeq - 9, Factor: 0.5,
        Skipped: [Ref, Ref with { MicroBatch = 5 }], "loss 1.2e+04 at update 5000000007 is 9.9 standard deviations above — ü", DetectedAtUpdate: BigSeq + 2,
        Fenced: new Dictionary<string, long> { ["worker-ü-3"] = BigIncarnation, ["w2"] = 1 });

    public static readonly IReadOnlyDictionary<Type, object> ByType = new object[]
    {
        Rollback,
        new RollbackCompleted(Rollback: 3),
        new RestoreCheckpoint(ShardId: 7, CheckpointId: BigSeq, Rollback: 3, Fenced: new Dictionary<string, long> { ["worker-ü-3"] = BigIncarnation }),
        new ShardRolledBack(ShardId: 7, Rollback: 3, CheckpointId: BigSeq, Version: BigSeq - 9, Durable: true),
        new RollBackWork(Rollback: 3, Incarnation: BigIncarnation),
        new CompleteCheckpoint(Started, Recorded),
        new SkippedMicroBatch(Epoch: 4, MicroBatch: 902, "rollback 3: loss spike — ü"),
        RateChange,
        Best,
        EvaluationJudged,
        Stopped,
        new SetLearningRates(ShardId: 7, [RateChange, RateChange with { Absolute = true, Source = LearningRateChanged.Ctl }]),
        new LearningRatesSet(ShardId: 7, Count: 1_000_003, Version: BigSeq, Durable: true),
        new RunPaused(AtUpdate: BigSeq),
        new RunContinued(AtUpdate: BigSeq + 1),
        new ControlRun("scale-lr", 0.25),
        new ControlAnswered("paused at update 5000000007 — ü", Done: false, ExitCode: 2),
        Ref,
        new HeldMicroBatch(Epoch: 4, MicroBatch: 902, "worker-ü-3"),
        new WorkerJoined("worker-ü-3", BigIncarnation, "akka.tcp://actortrain@10.0.0.7:4053/user/worker-ü-3#1234567"),
        new WorkerReleased("worker-ü-3", "left gracefully"),
        new MicroBatchAssigned("worker-ü-3", Epoch: 4, MicroBatch: 901),
        new MicroBatchCommitted("worker-ü-3", Epoch: 4, MicroBatch: 901, Samples: 0, LossSum: float.NaN, GradientNorm: 3.5e38, Skipped: "non-finite loss — ü"),
        new EpochCompleted(Epoch: 4, Updates: BigSeq),
        Started,
        Recorded,
        new CoordinatorEvents([new MicroBatchAssigned("worker-ü-3", Epoch: 4, MicroBatch: 901), Mode, Started, new EpochCompleted(2, BigSeq)]),
        new CheckpointRestored(Id: BigSeq, Updates: BigSeq - 9),
        new TakeCheckpoint(ShardId: 7, CheckpointId: BigSeq, AtVersion: BigSeq - 9),
        new CheckpointTaken(ShardId: 7, CheckpointId: BigSeq, Version: BigSeq - 9),
        new CheckpointRefused(ShardId: 7, CheckpointId: BigSeq, "shard 7 is at version 12, past the checkpoint's 10"),
        new CoordinatorSnapshot(Ref, Returned: [Ref with { MicroBatch = 5 }], Outstanding: [new HeldMicroBatch(4, 6, "w2")], Reissued: 9, Updates: BigSeq,
            StepsRemaining: new Dictionary<long, int> { [BigSeq] = 3 }, Incarnations: new Dictionary<string, long> { ["worker-ü-3"] = BigIncarnation },
            Members: new Dictionary<string, string> { ["w2"] = "akka://actortrain/user/w2" }, MicroBatchesByWorker: new Dictionary<string, long> { ["w2"] = BigSeq },
            Samples: 300_000_000_000L, Mode, NextCheckpointId: BigSeq + 1, LastCheckpointTarget: BigSeq - 9, CheckpointsInProgress: [Started with { Id = BigSeq + 1 }],
            LastCheckpoint: Started, LastCheckpointRecorded: Recorded, TrainingSecondsBefore: 33.5,
            Evaluations: [EvaluationJudged], RateChanges: [RateChange], Stopped, Paused: true, Best, RecentCheckpoints: [new CompleteCheckpoint(Started, Recorded)],
            Rollbacks: [Rollback], CompletedRollbacks: 2, Skipped: [new SkippedMicroBatch(4, 7, "rollback 3 — ü")]),
        new BatchCompleted("worker-ü-3", BigIncarnation, Epoch: 4, MicroBatch: 77, LossSum: 12.625f, Samples: 64, Version: BigSeq, CompletesUpdate: false,
            GradientNorm: 12.5, Skipped: "rollback 3: loss spike — ü"),
        new BatchCommitted(Epoch: 4, MicroBatch: 77),
        new EvaluateParameters(Updates: BigSeq, Final: true),
        new GradientsApplied(ShardId: 3, "worker-ü-3", BigIncarnation, BigSeq, Version: BigSeq + 1, Duplicate: true),
        new JobCompleted(Epochs: 5, Updates: BigSeq, Samples: 300_000_000_000L, WallSeconds: 61.5, Evaluated, ReissuedMicroBatches: 9, TrainingSeconds: 58.25,
            AppliedStaleness: [0, 5, BigSeq], ClockGapAtPull: [], new Dictionary<string, long> { ["worker-ü-3"] = BigSeq, ["w2"] = 0 }, "ssp:3",
            new Dictionary<int, string> { [0] = "akka.tcp://actortrain@10.0.0.7:4053", [1] = "akka.tcp://actortrain@10.0.0.8:4053" },
            Snapshots: BigSeq, SnapshotFailures: 2, StoppedEarly: "early-stopping: no improvement — ü", Resumable: true, Best, RateChanges: [RateChange],
            Diverged: "diverged again — ü", Rollbacks: [Rollback], NonFiniteRefused: BigSeq),
        new ChangeMode("diloco", 3, InnerSteps: 16),
        Mode,
        new ModeChangeRejected("the job has finished"),
        new SetConsistency("bsp", 2, InnerSteps: 32, StartVersion: BigSeq),
        new ConsistencySet(ShardId: 7, Version: BigSeq, Durable: true),
        new ReportVersion(ShardId: 7),
        new ShardVersionReported(ShardId: 7, Version: BigSeq),
        new ModeChangePending("ssp:3", "at the boundary before step 12: 3 micro-batch(es) still to be committed — ü"),
        new JobProgressed(Epoch: 2, Step: BigSeq, Updates: BigSeq + 2, CompletedMicroBatches: 811, TotalMicroBatches: 938,
            MeanLoss: 0.6125, SamplesPerSecond: 10_240.5, ElapsedSeconds: 33.75, ReissuedMicroBatches: 6),
        Evaluated,
        new PullShard(ShardId: 5, MinVersion: BigSeq, Exact: true, WorkerId: "worker-ü-3", Clock: BigSeq + 3, PullId: BigSeq + 5, AtStep: true),
        new PushGradients(ShardId: 2, "worker-ü-3", BigIncarnation, BigSeq, Step: BigSeq - 1, IndexInStep: 3, MicroBatchesInStep: 4,
            Samples: 63, BaseVersion: BigSeq - 2, F32Payload, Clock: BigSeq + 4, Kind: PushKind.DiLoCoPseudoGradient, OffStep: true, Skipped: true),
        new PayloadChunk(ShardId: 4, Sender: "worker-ü-3", BigIncarnation, BigSeq, Manifest: "PushGradients", Index: 2, Count: 9,
            TotalLength: 3L * int.MaxValue, new byte[] { 0, 1, 0xfe, 0xff, 0x80, 7 }),
        new PushRejected(ShardId: 1, "worker-ü-3", BigIncarnation, BigSeq, "payload checksum mismatch", Resend: true, NonFinite: true),
        new ReportStatistics(ShardId: 7),
        new RequestWork("worker-ü-3", BigIncarnation),
        new ShardStatistics(ShardId: 7, Version: BigSeq, AppliedStaleness: [3, 0, 1], ClockGapAtPull: [BigSeq], Node: "akka.tcp://actortrain@10.0.0.7:4053", Snapshots: BigSeq, SnapshotFailures: 3, NonFiniteRefused: BigSeq),
        new WorkerLeft("worker-ü-3"),
        new ShardWeights(ShardId: 6, Version: BigSeq, Bf16Payload),
        Row,
        new ShardSnapshot(ShardId: 6, Version: BigSeq, F32Payload, First: F32Payload, Second: null, Started: true, Steps: BigSeq - 1, [Row, Row with { WorkerId = "w2" }],
            Mode: "ssp", Staleness: 3, Rates: [RateChange], Rollback: 3),
        new ShardSnapshotted(ShardId: 6, Version: BigSeq, Row),
        new ShardStarted(ShardId: 6, Version: BigSeq),
        new CoordinatorRestarted(Updates: BigSeq),
        new HandBackWork("worker-ü-3", BigIncarnation),
        new WorkHandedBack(MicroBatches: 7),
        F32Payload,
        new TrainingCompleted(Updates: BigSeq),
        new WorkRequestDeferred(Outstanding: 1_000_003),
        new WorkAssigned(Epoch: 3, MicroBatch: 901, Step: BigSeq, IndexInStep: 2, MicroBatchesInStep: 4, SampleIndices: [0, 7, 65_535, int.MaxValue, 12],
            Skip: "rollback 3: loss spike — ü", Rollbacks: 3),
    }.ToDictionary(m => m.GetType());
}
