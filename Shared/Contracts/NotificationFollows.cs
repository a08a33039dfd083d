namespace Pgo.Shared.Contracts;

/// <summary>Whether the caller follows a goal or plan (<c>Goal/x</c>, <c>CarePlan/x</c>): told of each change to it.</summary>
public sealed record FollowState(string Item, bool Following);

/// <summary>The goals and plans of one dossier the caller follows (and may still read).</summary>
public sealed record FollowedItems(string[] Items);
