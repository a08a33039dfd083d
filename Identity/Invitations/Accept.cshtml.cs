using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.Invitations;

/// <summary>
/// The page behind the link in an invitation mail. It shows who invites whom to which dossier and what would
/// be shared; the invitee then creates an account (the address is the invited one, and confirmed by the
/// link) or signs in to an existing one, and accepts. Signed in with another address, accepting is refused.
/// </summary>
public sealed class AcceptModel(
    InvitationService invitations,
    UserManager<PgoUser> users,
    SignInManager<PgoUser> signIn,
    SignInLogbook log,
    SignInFlow flow,
    IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    public NewAccountForm Form { get; set; } = new();

    public Invitation? Invitation { get; private set; }
    public InvitationStatus Status { get; private set; }
    public PgoUser? SignedInAs { get; private set; }
    public bool HasAccount { get; private set; }
    public string? Error { get; private set; }

    public string ReturnUrl => AccountPaths.Invitation + QueryString.Create("code", Code ?? "");

    public async Task OnGetAsync() => await LoadAsync();

    /// <summary>Accepts as the signed-in account.</summary>
    public async Task<IActionResult> OnPostAcceptAsync()
    {
        await LoadAsync();
        if (Invitation is null || Status != InvitationStatus.Pending) return Page();
        if (SignedInAs is null) return LocalRedirect(AccountPaths.SignIn + QueryString.Create("returnUrl", ReturnUrl));
        return await AcceptAsync(SignedInAs);
    }

    /// <summary>Creates an account for the invited address and accepts with it.</summary>
    public async Task<IActionResult> OnPostCreateAccountAsync()
    {
        await LoadAsync();
        if (Invitation is null || Status != InvitationStatus.Pending) return Page();
        if (SignedInAs is not null || HasAccount)
        {
            Error = text["Er is al een account met dit e-mailadres. Meld u aan om de uitnodiging aan te nemen."];
            return Page();
        }
        if (!ModelState.IsValid) return Page();

        var user = new PgoUser
        {
            UserName = Invitation.Email, Email = Invitation.Email, DisplayName = Form.DisplayName.Trim(),
            EmailConfirmed = true, // the link in the mail proves the address
            Language = Languages.Normalize(System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName),
        };
        user.FhirUser = user.NewFhirUser();
        var created = await users.CreateAsync(user, Form.Password);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors.DistinctBy(e => e.Description))
                ModelState.AddModelError($"{nameof(Form)}.{nameof(NewAccountForm.Password)}", error.Description);
            return Page();
        }
        return await AcceptAsync(user, newAccount: true);
    }

    private async Task<IActionResult> AcceptAsync(PgoUser user, bool newAccount = false)
    {
        var outcome = await invitations.AcceptAsync(Invitation!, user);
        if (newAccount)
        {
            // Signed in only now (a refresh within the request that signed in is refused): the first cookie carries the new role.
            await signIn.SignInAsync(user, isPersistent: false);
            await log.RecordAsync(user, SignInEventKind.SignedIn, "nieuw account via uitnodiging");
        }
        switch (outcome)
        {
            case AcceptOutcome.Accepted:
                // A refreshed cookie carries the new role; the flow sends supporters and others to the 2FA set-up first.
                if (!newAccount) await signIn.RefreshSignInAsync(user);
                return await flow.ContinueAsync(this, user, AccountPaths.Account);
            case AcceptOutcome.OtherEmail:
                Error = text["Deze uitnodiging is voor een ander e-mailadres dan waarmee u bent aangemeld. Meld u af en open de link opnieuw, of vraag om een uitnodiging voor {0}.", user.Email ?? ""];
                Response.StatusCode = StatusCodes.Status403Forbidden;
                return Page();
            default:
                await LoadAsync();
                return Page();
        }
    }

    private async Task LoadAsync()
    {
        Invitation = await invitations.FindBySecretAsync(Code);
        if (Invitation is null) return;
        Status = Invitation.StatusAt(invitations.Now);
        SignedInAs = signIn.IsSignedIn(User) ? await users.GetUserAsync(User) : null;
        HasAccount = await users.FindByEmailAsync(Invitation.Email) is not null;
    }

    public sealed class NewAccountForm
    {
        [Required(ErrorMessage = "Vul uw naam in.")]
        [StringLength(200, ErrorMessage = "Uw naam is te lang.")]
        [Display(Name = "Uw naam")]
        public string DisplayName { get; set; } = "";

        [Required(ErrorMessage = "Kies een wachtwoord.")]
        [DataType(DataType.Password)]
        [Display(Name = "Wachtwoord")]
        public string Password { get; set; } = "";
    }
}
