namespace Parley.Server.Chat;

/// <summary>Either a value or a <see cref="ChatError"/>.</summary>
public readonly record struct ChatResult<T>(T? Value, ChatError? Error)
{
    public bool IsSuccess => Error is null;

    /// <summary>A success; needed where <typeparamref name="T"/> is an interface, which C# cannot convert implicitly.</summary>
    public static ChatResult<T> Ok(T value) => new(value, null);

    public static implicit operator ChatResult<T>(T value) => new(value, null);

    public static implicit operator ChatResult<T>(ChatError error) => new(default, error);
}
