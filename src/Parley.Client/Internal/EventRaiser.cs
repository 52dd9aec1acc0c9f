namespace Parley.Client.Internal;

/// <summary>
/// Raises a thin connection's C# events so that a throwing handler cannot end its receive loop: the exception
/// goes to the connection's <c>EventHandlerFailed</c> instead, as on <see cref="ParleyClient"/>.
/// </summary>
internal static class EventRaiser
{
    public static void Raise<T>(object sender, EventHandler<T>? handler, T args, EventHandler<Exception>? failed)
    {
        if (handler is null)
        {
            return;
        }
        try
        {
            handler(sender, args);
        }
        catch (Exception ex)
        {
            Report(sender, failed, ex);
        }
    }

    public static void Raise(object sender, EventHandler? handler, EventHandler<Exception>? failed)
    {
        if (handler is null)
        {
            return;
        }
        try
        {
            handler(sender, EventArgs.Empty);
        }
        catch (Exception ex)
        {
            Report(sender, failed, ex);
        }
    }

    private static void Report(object sender, EventHandler<Exception>? failed, Exception ex)
    {
        try
        {
            failed?.Invoke(sender, ex);
        }
        catch (Exception)
        {
            // A failing failure handler has nowhere left to report to.
        }
    }
}
