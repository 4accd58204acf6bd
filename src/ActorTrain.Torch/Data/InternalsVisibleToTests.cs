using System.Runtime.CompilerServices;

// The dataset tests drive the loader through internal seams (candidate folders, a fake HTTP handler)
// so that they never read the environment or touch the network. The attribute allows duplicates, so
// declaring it in the project file later does not clash.
[assembly: InternalsVisibleTo("ActorTrain.Torch.Tests")]
