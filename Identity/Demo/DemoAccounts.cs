using Microsoft.AspNetCore.Identity;
using Pgo.Identity.Accounts;
using Pgo.Identity.Launch;
using Pgo.Identity.TwoFactor;

namespace Pgo.Identity.Demo;

/// <summary>
/// The demo accounts for the six demo families (DOMAIN.md section 5), seeded in Development only
/// (idempotent: missing accounts are created, existing ones get their name, role and Person back).
/// The FHIR side creates the <c>Person</c> resources with exactly these ids; keep them here and nowhere else.
/// </summary>
public static class DemoAccounts
{
    /// <summary>Development only. Listed in Identity/README.md.</summary>
    public const string Password = "demo-wachtwoord-pgo";

    /// <summary>
    /// Development only, listed in Identity/README.md: the authenticator key of every demo account that must sign
    /// in with two factors (supporters, professionals, agencies, administrators). Add it to an authenticator app,
    /// or compute the code: <c>oathtool --totp -b PGODEMOAUTHENTICATORKEYFORDEVXYZ</c>.
    /// </summary>
    public const string AuthenticatorKey = "PGODEMOAUTHENTICATORKEYFORDEVXYZ";

    /// <param name="Patient">The client the account works for, offered at a SMART launch.</param>
    /// <param name="AlsoPatient">A second client of the same account (a supporter of two family members): the launch then asks which.</param>
    public sealed record DemoAccount(string Email, string DisplayName, string Role, string? FhirUser, string Note, string? Patient = null,
        string? AlsoPatient = null);

    /// <summary>The demo clients (Patient ids of the Api's demo data) and how they are named in the launch picker.</summary>
    public static readonly IReadOnlyDictionary<string, string> Patients = new Dictionary<string, string>
    {
        ["strikwerda-jesse"] = "Jesse Strikwerda",
        ["strikwerda-cheryl"] = "Cheryl Strikwerda",
        ["bilic-atilla"] = "Atilla Bilic",
        ["sterk-johan"] = "Johan Sterk",
        ["frank-leo"] = "Leo Frank",
        ["dewit-kim"] = "Kim de Wit",
        ["vanassen-luc"] = "Luc van Assen",
    };

    public static readonly IReadOnlyList<DemoAccount> All =
    [
        // 1. Strikwerda: Tessa holds the family together; finances hidden from the dementia case manager.
        new("tessa@strikwerda.example", "Tessa Strikwerda", Roles.Regiehouder, "Person/strikwerda-tessa", "regiehouder, gezin Strikwerda", "strikwerda-jesse"),
        new("ricardo@bondgenoten.example", "Ricardo (bondgenoot)", Roles.Supporter, "Person/bondgenoot-ricardo", "bondgenoot van gezin Strikwerda", "strikwerda-jesse", "strikwerda-cheryl"),
        new("casemanager@dementiezorg.example", "Annelies Bos (casemanager dementie)", Roles.Professional, "Person/casemanager-dementie-bos", "casemanager dementie van Jesse Strikwerda", "strikwerda-jesse"),
        new("wmo@gemeente.example", "Peter de Groot (Wmo-consulent)", Roles.Agency, "Person/gemeente-wmo-degroot", "Wmo-consulent van de gemeente", "strikwerda-jesse"),
        // Cheryl (19, young carer) holds the regie of her own dossier (issue 18).
        new("cheryl@strikwerda.example", "Cheryl Strikwerda", Roles.Regiehouder, "Person/strikwerda-cheryl", "eigen regiehouder, jonge mantelzorger in gezin Strikwerda", "strikwerda-cheryl"),

        // 2. Bilic: bondgenoot Khadija speaks the parents' language.
        new("gulan@bilic.example", "Gulan Bilic", Roles.Regiehouder, "Person/bilic-gulan", "regiehouder, gezin Bilic", "bilic-atilla"),
        new("khadija@bondgenoten.example", "Khadija (bondgenoot)", Roles.Supporter, "Person/bondgenoot-khadija", "bondgenoot van gezin Bilic", "bilic-atilla"),

        // 3. Sterk: son Johan (30); bondgenoot Sven.
        new("loes@sterk.example", "Loes Sterk", Roles.Regiehouder, "Person/sterk-loes", "regiehouder, gezin Sterk", "sterk-johan"),
        new("sven@bondgenoten.example", "Sven (bondgenoot)", Roles.Supporter, "Person/bondgenoot-sven", "bondgenoot van gezin Sterk", "sterk-johan"),

        // 4. Frank: two regiehouders in two households; bondgenoot Hans works with both.
        new("karin@frank.example", "Karin Frank", Roles.Regiehouder, "Person/frank-karin", "regiehouder, gezin Frank (moeder)", "frank-leo"),
        new("ruben@frank.example", "Ruben Frank", Roles.Regiehouder, "Person/frank-ruben", "regiehouder, gezin Frank (vader, ex-partner)", "frank-leo"),
        new("hans@bondgenoten.example", "Hans (bondgenoot)", Roles.Supporter, "Person/bondgenoot-hans", "bondgenoot van gezin Frank", "frank-leo"),

        // 5. De Wit: Kim (11, ZEVMB); bondgenoot Ilse.
        new("ilona@dewit.example", "Ilona de Wit", Roles.Regiehouder, "Person/dewit-ilona", "regiehouder, gezin De Wit", "dewit-kim"),
        new("ilse@bondgenoten.example", "Ilse (bondgenoot)", Roles.Supporter, "Person/bondgenoot-ilse", "bondgenoot van gezin De Wit", "dewit-kim"),

        // 6. Van Assen: Luc is his own regiehouder; bondgenoot Elise.
        new("luc@vanassen.example", "Luc van Assen", Roles.Regiehouder, "Person/vanassen-luc", "eigen regiehouder", "vanassen-luc"),
        new("elise@bondgenoten.example", "Elise (bondgenoot)", Roles.Supporter, "Person/bondgenoot-elise", "bondgenoot van Luc van Assen", "vanassen-luc"),

        // Around the families.
        new("coach@bondgenoten.example", "Marieke Smit (coach)", Roles.Supporter, "Person/coach-smit", "leerbegeleider/coach van het bondgenotenteam"),

        // A second team (Copiloten Zuid) and the programme's landelijk coördinator (issue 19: knelpunten across teams).
        new("coach@copiloten-zuid.example", "Joost Verbeek (coach)", Roles.Supporter, "Person/coach-verbeek", "coach van het team Copiloten Zuid"),
        new("noor@copiloten-zuid.example", "Noor (copiloot)", Roles.Supporter, "Person/copiloot-noor", "copiloot in het team Copiloten Zuid"),
        new("coordinator@programma.example", "Femke Jansen (landelijk coördinator)", Roles.Coordinator, null, "landelijk coördinator: knelpunten van alle teams; ziet geen dossiers"),
        // Issue 21: the programme's financier and researcher read the pseudonymised aggregates (Programma) only.
        new("financier@programma.example", "Ruud Kramer (financier)", Roles.Funder, null, "financier van het programma: alleen de geanonimiseerde cijfers; ziet geen dossiers"),
        new("onderzoeker@programma.example", "Dr. Yasmin El Idrissi (onderzoeker)", Roles.Researcher, null, "onderzoeker: alleen de geanonimiseerde cijfers; ziet geen dossiers"),
        new("beheer@pgo.example", "Beheerder PGO", Roles.Admin, null, "platformbeheer; ziet geen dossiers"),

        // Issue 20: a professional who refers families to a team (Verwijzen); no dossier.
        new("smw@school.example", "Sanne Visser (schoolmaatschappelijk werker)", Roles.Professional, null, "schoolmaatschappelijk werker: verwijst gezinnen; ziet geen dossiers"),
    ];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
        var keys = scope.ServiceProvider.GetRequiredService<IUserStore<PgoUser>>();
        var launch = scope.ServiceProvider.GetRequiredService<LaunchPatients>();
        foreach (var demo in All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var user = await users.FindByEmailAsync(demo.Email);
            if (user is null)
            {
                user = new PgoUser { UserName = demo.Email, Email = demo.Email, EmailConfirmed = true };
                Apply(user, demo);
                Check(await users.CreateAsync(user, Password), demo);
            }
            else
            {
                Apply(user, demo);
                Check(await users.UpdateAsync(user), demo);
            }

            var roles = await users.GetRolesAsync(user);
            if (roles.Except([demo.Role]).ToList() is { Count: > 0 } extra) Check(await users.RemoveFromRolesAsync(user, extra), demo);
            if (!roles.Contains(demo.Role)) Check(await users.AddToRoleAsync(user, demo.Role), demo);

            // Those who must use two factors get the documented demo key, so the demo gets past the second step.
            if (TwoFactorPolicy.IsRequiredFor([demo.Role]) && !await users.GetTwoFactorEnabledAsync(user))
            {
                await ((IUserAuthenticatorKeyStore<PgoUser>)keys).SetAuthenticatorKeyAsync(user, AuthenticatorKey, cancellationToken);
                Check(await users.SetTwoFactorEnabledAsync(user, true), demo);
            }
            foreach (var patient in new[] { demo.Patient, demo.AlsoPatient }.OfType<string>())
                await launch.LinkAsync(user, patient, Patients[patient], "demo");
        }
    }

    private static void Apply(PgoUser user, DemoAccount demo)
    {
        user.DisplayName = demo.DisplayName;
        user.FhirUser = demo.FhirUser;
    }

    private static void Check(IdentityResult result, DemoAccount demo)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Seeding demo account {demo.Email} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
