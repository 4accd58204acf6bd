#!/usr/bin/python3
"""Records PyTorch's own learning-rate decisions as C# test data.

How the data in PyTorchRecords.cs was produced: Debian bookworm's python3-torch (1.13.1+dfsg-4,
`apt-get install -y python3-torch`), then, from this folder,

    /usr/bin/python3 record_pytorch.py > PyTorchRecords.cs

ReduceLROnPlateau: each case feeds a fixed metric sequence to torch.optim.lr_scheduler.ReduceLROnPlateau over
an SGD optimizer with one parameter group and records, after each step(metric), the group's lr, the scheduler's
best, num_bad_epochs and cooldown_counter. OneCycleLR: each case records the lr the optimizer holds before each of
its total_steps optimizer steps (get_last_lr() after construction, then after each scheduler.step()), i.e. the
rate used by update 0, 1, ... total_steps - 1. StepLR and ExponentialLR likewise. Numbers are printed with repr(),
the shortest text that reads back as the same double, so the C# literals are the very doubles PyTorch computed.
"""
import math
import warnings

import torch
from torch.optim.lr_scheduler import ExponentialLR, OneCycleLR, ReduceLROnPlateau, StepLR

warnings.filterwarnings("ignore")

# Losses: a first value, improvements, a plateau, a tiny improvement below the relative threshold, NaN, a new best.
LOSSES = [1.0, 0.9, 0.9, 0.95, 0.89995, 0.9, 0.91, 0.8, 0.8, 0.8, 0.8, 0.79999, 0.8, float("nan"), 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
ACCURACIES = [0.5, 0.6, 0.605, 0.612, 0.61, 0.62, 0.62, 0.625, 0.64, 0.64, 0.63, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
NEGATIVE = [-1.0, -1.1, -1.1, -1.05, -1.2, -1.2, -1.2, -1.2, -1.2, -1.3]

PLATEAU_CASES = [
    # name, lr, kwargs, metrics
    ("MinRel", 0.1, dict(mode="min", factor=0.5, patience=2), LOSSES),
    ("MinRelDefaults", 0.1, dict(patience=1), LOSSES),
    ("MinAbs", 0.1, dict(mode="min", threshold_mode="abs", threshold=0.05, factor=0.5, patience=1), LOSSES),
    ("MaxAbs", 0.2, dict(mode="max", threshold_mode="abs", threshold=0.01, factor=0.5, patience=1), ACCURACIES),
    ("MaxRel", 0.2, dict(mode="max", threshold_mode="rel", threshold=0.01, factor=0.3, patience=1), ACCURACIES),
    ("Cooldown", 0.1, dict(mode="min", factor=0.5, patience=1, cooldown=2), LOSSES),
    ("MinLr", 0.1, dict(mode="min", factor=0.5, patience=0, min_lr=0.02), LOSSES),
    ("Eps", 0.1, dict(mode="min", factor=0.5, patience=0, min_lr=0.045, eps=0.01), LOSSES),
    ("EpsSmallRate", 3e-8, dict(mode="min", factor=0.5, patience=0), LOSSES),
    ("MinRelNegative", 0.1, dict(mode="min", factor=0.5, patience=1, threshold=0.01), NEGATIVE),
    ("MaxRelNegative", 0.1, dict(mode="max", factor=0.5, patience=1, threshold=0.01), NEGATIVE),
]

ONE_CYCLE_CASES = [
    # name, max_lr, total_steps, kwargs
    ("Defaults", 0.1, 20, dict()),
    ("Linear", 0.5, 17, dict(anneal_strategy="linear", pct_start=0.25)),
    ("ThreePhase", 1.0, 23, dict(three_phase=True, div_factor=10.0, final_div_factor=100.0)),
    ("ThreePhaseLinear", 0.01, 30, dict(three_phase=True, anneal_strategy="linear", pct_start=0.4)),
]


def literal(x):
    if math.isnan(x):
        return "double.NaN"
    if math.isinf(x):
        return "double.PositiveInfinity" if x > 0 else "double.NegativeInfinity"
    return repr(float(x))


def array(values):
    return "[" + ", ".join(literal(v) for v in values) + "]"


def optimizer(lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


METRIC_NAMES = {id(LOSSES): "Losses", id(ACCURACIES): "Accuracies", id(NEGATIVE): "Negative"}


def plateau(name, lr, kwargs, metrics):
    opt = optimizer(lr)
    scheduler = ReduceLROnPlateau(opt, **kwargs)
    rates, bests, bad, cooldown = [], [], [], []
    for m in metrics:
        scheduler.step(m)
        rates.append(opt.param_groups[0]["lr"])
        bests.append(scheduler.best)
        bad.append(scheduler.num_bad_epochs)
        cooldown.append(scheduler.cooldown_counter)
    k = dict(mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8)
    k.update(kwargs)
    print(f"        new(\"{name}\", {literal(lr)}, \"{k['mode']}\", {literal(k['factor'])}, {k['patience']}, "
          f"{literal(k['threshold'])}, \"{k['threshold_mode']}\", {k['cooldown']}, {literal(k['min_lr'])}, {literal(k['eps'])},")
    print(f"            Metrics: {METRIC_NAMES[id(metrics)]},")
    print(f"            Rates: {array(rates)},")
    print(f"            Bests: {array(bests)},")
    print(f"            BadEpochs: [{', '.join(map(str, bad))}],")
    print(f"            Cooldowns: [{', '.join(map(str, cooldown))}]),")


def rates_over(scheduler, opt, steps):
    rates = [scheduler.get_last_lr()[0]]
    for _ in range(steps - 1):
        opt.step()
        scheduler.step()
        rates.append(scheduler.get_last_lr()[0])
    return rates


def one_cycle(name, max_lr, total, kwargs):
    opt = optimizer(max_lr)
    scheduler = OneCycleLR(opt, max_lr=max_lr, total_steps=total, cycle_momentum=False, **kwargs)
    k = dict(pct_start=0.3, anneal_strategy="cos", div_factor=25.0, final_div_factor=1e4, three_phase=False)
    k.update(kwargs)
    print(f"        new(\"{name}\", {literal(max_lr)}, {total}, {literal(k['pct_start'])}, \"{k['anneal_strategy']}\", "
          f"{literal(k['div_factor'])}, {literal(k['final_div_factor'])}, {str(k['three_phase']).lower()},")
    print(f"            {array(rates_over(scheduler, opt, total))}),")


print("// <auto-generated> by record_pytorch.py from torch " + torch.__version__ + "; do not edit, re-run the script. </auto-generated>")
print("namespace ActorTrain.Core.Tests.Hyperparameters;")
print()
print("/// <summary>PyTorch's own learning-rate decisions, recorded by record_pytorch.py (see there for how).</summary>")
print("internal static class PyTorchRecords")
print("{")
for values, name in [(LOSSES, "Losses"), (ACCURACIES, "Accuracies"), (NEGATIVE, "Negative")]:
    print(f"    private static readonly double[] {name} = {array(values)};")
    print()
print("    public static PlateauRecord[] Plateau { get; } =")
print("    [")
for case in PLATEAU_CASES:
    plateau(*case)
print("    ];")
print()
print("    public static OneCycleRecord[] OneCycle { get; } =")
print("    [")
for case in ONE_CYCLE_CASES:
    one_cycle(*case)
print("    ];")
print()
step_opt = optimizer(0.3)
step = rates_over(StepLR(step_opt, step_size=4, gamma=0.5), step_opt, 14)
print(f"    /// <summary>StepLR(lr 0.3, step_size 4, gamma 0.5), updates 0..13.</summary>")
print(f"    public static double[] Step {{ get; }} = {array(step)};")
print()
exp_opt = optimizer(0.3)
exp = rates_over(ExponentialLR(exp_opt, gamma=0.9), exp_opt, 12)
print(f"    /// <summary>ExponentialLR(lr 0.3, gamma 0.9), stepped once per update, updates 0..11.</summary>")
print(f"    public static double[] Exponential {{ get; }} = {array(exp)};")
print("}")
