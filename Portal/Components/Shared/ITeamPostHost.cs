using Pgo.Shared.Contracts;

namespace Pgo.Portal.Components.Shared;

/// <summary>What a <c>Post</c> asks of the team screen it is on: who is looking, and the Api calls for what they do with it.
/// The screen refreshes its lists; the post only keeps its own editing state.</summary>
public interface ITeamPostHost
{
    /// <summary>The person's member key (<c>Person/...</c>): their own posts may be edited and deleted, their reactions are pressed.</summary>
    string? MyKey { get; }

    /// <summary>A coach or expert: deletes another's post with a reason, pins, sees the guard's marks.</summary>
    bool MayModerate { get; }

    /// <summary>The team's members, for the mention picker.</summary>
    IReadOnlyList<MemberView> Members { get; }

    /// <summary>Saves an edit; null when saved, the guard's findings when not (the text stays in the editor).</summary>
    Task<IReadOnlyList<GuardFinding>?> SaveEditAsync(PostView post, string? title, string body, bool confirmed);

    /// <summary>Deletes the post (after the person confirmed); true when done.</summary>
    Task<bool> DeleteAsync(PostView post, string? reason);

    Task ReactAsync(PostView post, string emoji, bool add);

    Task PinAsync(PostView post, bool pin);
}
