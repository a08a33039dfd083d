using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Pgo.Identity.Accounts;

/// <summary>ASP.NET Core Identity's messages in plain Dutch (via <see cref="Texts"/>).</summary>
public sealed class DutchIdentityErrors(IStringLocalizer<Texts> text) : IdentityErrorDescriber
{
    private IdentityError Error(string code, string description) => new() { Code = code, Description = description };

    public override IdentityError DefaultError() =>
        Error(nameof(DefaultError), text["Er ging iets mis. Probeer het opnieuw."]);

    public override IdentityError ConcurrencyFailure() =>
        Error(nameof(ConcurrencyFailure), text["Het account is intussen gewijzigd. Probeer het opnieuw."]);

    public override IdentityError PasswordMismatch() =>
        Error(nameof(PasswordMismatch), text["Het wachtwoord klopt niet."]);

    public override IdentityError InvalidToken() =>
        Error(nameof(InvalidToken), text["Deze link is niet (meer) geldig."]);

    public override IdentityError InvalidUserName(string? userName) =>
        Error(nameof(InvalidUserName), text["Dit e-mailadres kunnen we niet gebruiken."]);

    public override IdentityError InvalidEmail(string? email) =>
        Error(nameof(InvalidEmail), text["Dit is geen geldig e-mailadres."]);

    public override IdentityError DuplicateUserName(string userName) =>
        Error(nameof(DuplicateUserName), text["Er is al een account met dit e-mailadres. Meld u aan, of kies een ander e-mailadres."]);

    public override IdentityError DuplicateEmail(string email) =>
        Error(nameof(DuplicateEmail), text["Er is al een account met dit e-mailadres. Meld u aan, of kies een ander e-mailadres."]);

    public override IdentityError PasswordTooShort(int length) =>
        Error(nameof(PasswordTooShort), text["Kies een wachtwoord van minstens {0} tekens. Een zin van een paar woorden is makkelijk te onthouden.", length]);

    public override IdentityError UserLockoutNotEnabled() =>
        Error(nameof(UserLockoutNotEnabled), text["Er ging iets mis. Probeer het opnieuw."]);
}
