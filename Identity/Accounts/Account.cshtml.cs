using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OpenIddict.Abstractions;
using Pgo.Identity.Data;
using Pgo.Identity.Launch;
using Pgo.Identity.SignInLog;
using Pgo.Identity.Smart;
using Pgo.Identity.TwoFactor;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Accounts;

/// <summary>
/// The account page: name, language, e-mail confirmation, two-factor status, the dossiers the account is
/// linked to, recent sign-ins, and the third-party apps the person allowed in (with revoke).
/// </summary>
[Authorize]
public sealed class AccountModel(
    UserManager<PgoUser> users,
    SignInManager<PgoUser> signIn,
    SignInLogbook log,
    AccountMails mails,
    IdentityDb db,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictApplicationManager applications,
    IOpenIddictTokenManager tokens,
    IStringLocalizer<Texts> text) : PageModel
{
    public sealed record ConnectedApp(string AuthorizationId, string Name, IReadOnlyList<string> Access, DateTimeOffset? Since);

    [BindProperty]
    [Required(ErrorMessage = "Vul uw naam in.")]
    [StringLength(200, ErrorMessage = "Uw naam is te lang.")]
    [Display(Name = "Uw naam")]
    public string DisplayName { get; set; } = "";

    public PgoUser Account { get; private set; } = null!;
    public bool TwoFactorEnabled { get; private set; }
    public bool TwoFactorRequired { get; private set; }
    public IReadOnlyList<string> Roles { get; private set; } = [];
    public IReadOnlyList<SignInEvent> RecentSignIns { get; private set; } = [];
    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];
    public IReadOnlyList<AccountPatient> Patients { get; private set; } = [];
    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : Challenge();

    public async Task<IActionResult> OnPostProfileAsync()
    {
        if (!await LoadAsync()) return Challenge();
        if (!ModelState.IsValid) return Page();
        Account.DisplayName = DisplayName.Trim();
        await users.UpdateAsync(Account);
        await signIn.RefreshSignInAsync(Account);
        Done = text["Uw naam is opgeslagen."];
        return Page();
    }

    public async Task<IActionResult> OnPostLanguageAsync(string? language)
    {
        if (!await LoadAsync()) return Challenge();
        Account.Language = Languages.Normalize(language);
        await users.UpdateAsync(Account);
        SignInFlow.RememberLanguage(Response, Account.Language);
        return RedirectToPage(); // the next page is in the new language
    }

    public async Task<IActionResult> OnPostConfirmEmailAsync()
    {
        if (!await LoadAsync()) return Challenge();
        if (!Account.EmailConfirmed) await mails.SendConfirmationAsync(Account);
        Done = text["We hebben u een e-mail gestuurd met een link om uw e-mailadres te bevestigen."];
        return Page();
    }

    /// <summary>Revokes the app's remembered consent and every token it holds on it.</summary>
    public async Task<IActionResult> OnPostRevokeAsync(string? authorizationId)
    {
        if (!await LoadAsync()) return Challenge();
        var app = Apps.FirstOrDefault(a => a.AuthorizationId == authorizationId);
        if (app is null) return NotFound(); // not this person's, or not a third-party app
        var authorization = await authorizations.FindByIdAsync(app.AuthorizationId);
        if (authorization is null) return NotFound();
        await authorizations.TryRevokeAsync(authorization);
        await tokens.RevokeByAuthorizationIdAsync(app.AuthorizationId);
        await log.RecordAsync(Account, SignInEventKind.AppRevoked, app.Name);
        await LoadAsync();
        Done = text["{0} heeft geen toegang meer.", app.Name];
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return false;
        Account = user;
        if (string.IsNullOrEmpty(DisplayName) || Request.Method == HttpMethods.Get) DisplayName = user.DisplayName;
        Roles = [.. await users.GetRolesAsync(user)];
        TwoFactorEnabled = await users.GetTwoFactorEnabledAsync(user);
        TwoFactorRequired = TwoFactorPolicy.IsRequiredFor(Roles);
        RecentSignIns = await log.RecentAsync(user.Id);
        Patients = await db.AccountPatients.Where(p => p.UserId == user.Id).OrderBy(p => p.Label).ToListAsync();
        Apps = await ConnectedAppsAsync(user);
        return true;
    }

    /// <summary>The remembered consents this person gave to third-party apps (explicit consent), still valid.</summary>
    private async Task<List<ConnectedApp>> ConnectedAppsAsync(PgoUser user)
    {
        var apps = new List<ConnectedApp>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(user.Id))
        {
            if (!await authorizations.HasStatusAsync(authorization, Statuses.Valid)
                || !await authorizations.HasTypeAsync(authorization, AuthorizationTypes.Permanent)) continue;
            var applicationId = await authorizations.GetApplicationIdAsync(authorization);
            var application = applicationId is null ? null : await applications.FindByIdAsync(applicationId);
            if (application is null || !await applications.HasConsentTypeAsync(application, ConsentTypes.Explicit)) continue;
            apps.Add(new ConnectedApp(
                (await authorizations.GetIdAsync(authorization))!,
                await applications.GetLocalizedDisplayNameAsync(application) ?? (await applications.GetClientIdAsync(application))!,
                ScopeDescriptions.Describe(await authorizations.GetScopesAsync(authorization), text),
                await authorizations.GetCreationDateAsync(authorization)));
        }
        return apps;
    }
}
