namespace ActorTrain.Actors.Settings;

public enum DataTask
{
    FashionMnist,
    Synthetic,
}
