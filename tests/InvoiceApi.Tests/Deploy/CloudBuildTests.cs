namespace InvoiceApi.Tests.Deploy;

/// <summary>Offline checks of cloudbuild.yaml: structure, step order, and what its bash steps really run (with stand-ins for gcloud and docker).</summary>
public sealed class CloudBuildTests
{
    private static readonly CloudBuildFile Build = CloudBuildFile.Load(RepositoryFiles.Read("cloudbuild.yaml"));

    public static TheoryData<string> FunctionNames() => [.. RepositoryFiles.Functions().Select(function => function.Folder.ToLowerInvariant())];

    [Fact]
    public void It_parses_with_the_substitutions_an_operator_sets()
    {
        string[] expected = ["_REGION", "_REPOSITORY", "_INSTANCE_CONNECTION_NAME", "_DB_NAME", "_DB_USER", "_DB_PASS_SECRET",
            "_MIGRATOR_DB_USER", "_MIGRATOR_DB_PASS_SECRET", "_SERVICE_ACCOUNT", "_DB_AUTH", "_MIGRATOR_SERVICE_ACCOUNT", "_AUTH_FIREBASE_PROJECT", "_ALLOWED_ORIGINS",
            "_FUNCTIONS", "_CONCURRENCY", "_MAX_INSTANCES", "_DB_POOL_MAX"];

        Assert.Empty(expected.Except(Build.Substitutions.Keys));
        // Pipelines set up before IAM login keep their passwords until their operator switches (docs/deploy.md).
        Assert.Equal("password", Build.Substitutions["_DB_AUTH"]);
        Assert.Equal(string.Join(',', RepositoryFiles.Functions().Select(function => function.Folder.ToLowerInvariant())), Build.Substitutions["_FUNCTIONS"]);
        Assert.Equal(Build.Steps.Count, Build.Steps.Select(step => step.Id).Distinct().Count());
        Assert.All(Build.Steps.SelectMany(step => step.WaitFor ?? []).Where(id => id != "-"), id => Build.Step(id));
    }

    [Fact]
    public void Every_substitution_is_used_by_a_step_and_explained_in_the_README()
    {
        // Cloud Build refuses a --substitutions key the file never uses; an operator needs each one explained.
        var steps = string.Join('\n', Build.Steps.Select(step => step.Script)) + string.Join('\n', Build.Substitutions.Values);
        var documents = Documentation();

        Assert.All(Build.Substitutions.Keys, key =>
        {
            Assert.Contains("${" + key + "}", steps, StringComparison.Ordinal);
            Assert.Contains("`" + key + "`", documents, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_function_folder_has_build_push_and_deploy_steps()
    {
        Assert.NotEmpty(RepositoryFiles.Functions());
        foreach (var (folder, assembly) in RepositoryFiles.Functions())
        {
            var name = folder.ToLowerInvariant();
            var build = Build.Step($"build-{name}").Script;
            Assert.Contains($"--build-arg PROJECT=functions/{folder} --build-arg ASSEMBLY={assembly}", build, StringComparison.Ordinal);
            Assert.Contains($"/{name}:${{_TAG}}", build, StringComparison.Ordinal);
            Assert.Contains($"docker push", Build.Step($"push-{name}").Script, StringComparison.Ordinal);
            Assert.Contains($"build-{name}", Build.StepsBefore($"push-{name}"));
            Assert.Contains($"gcloud run deploy {name} ", Build.Step($"deploy-{name}").Script, StringComparison.Ordinal);
            Assert.Contains($"push-{name}", Build.StepsBefore($"deploy-{name}"));
            Assert.Contains($"deploy-{name}", Build.StepsBefore("urls"));
        }
    }

    [Fact]
    public void The_migration_job_runs_after_the_tests_and_before_every_deploy()
    {
        var migrate = Build.Step("migrate").Script;
        Assert.Contains("set -euo pipefail", migrate, StringComparison.Ordinal);
        Assert.Contains("test", Build.StepsBefore("migrate"));
        Assert.Contains("push-migrator", Build.StepsBefore("migrate"));

        var deploys = Build.Steps.Where(step => step.Script.Contains("gcloud run deploy", StringComparison.Ordinal)).ToList();
        Assert.Equal(RepositoryFiles.Functions().Count, deploys.Count);
        Assert.All(deploys, deploy => Assert.Contains("migrate", Build.StepsBefore(deploy.Id)));
    }

    [Fact]
    public async Task The_migration_step_deploys_the_job_as_the_owner_and_waits_for_its_execution()
    {
        var run = await StepRun.RunAsync(Build.Substitute(Build.Step("migrate").Script, Selected("invoices,stats")), TestContext.Current.CancellationToken);

        Assert.Equal(0, run.ExitCode);
        var calls = run.CallsOf("gcloud").ToList();
        Assert.Equal(2, calls.Count);
        var deploy = calls[0];
        Assert.Equal(["gcloud", "run", "jobs", "deploy", "invoice-api-migrate"], deploy.Take(5));
        Assert.Equal("migrate", StepRun.Flag(deploy, "--args"));
        Assert.Equal("demo:us-central1:main", StepRun.Flag(deploy, "--set-cloudsql-instances"));
        Assert.Contains("DB_USER=postgres", StepRun.Flag(deploy, "--set-env-vars"), StringComparison.Ordinal);
        Assert.Equal("DB_PASS=invoice-api-owner-pass:latest", StepRun.Flag(deploy, "--set-secrets"));
        Assert.Equal("us-central1-docker.pkg.dev/demo-project/invoice-api/migrator:build-1", StepRun.Flag(deploy, "--image"));
        Assert.Equal(["gcloud", "run", "jobs", "execute", "invoice-api-migrate", "--region=us-central1", "--wait"], calls[1]);
    }

    [Fact]
    public async Task A_failed_migration_fails_the_step()
    {
        // The stand-in gcloud fails on `jobs execute`, as the real one does when the execution fails.
        var script = "gcloud() { if [ \"$3\" = execute ]; then return 1; fi; }\n" + Build.Substitute(Build.Step("migrate").Script, Selected("stats"));

        var run = await StepRun.RunAsync(script, TestContext.Current.CancellationToken);

        Assert.NotEqual(0, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public async Task A_selected_function_is_built_pushed_and_deployed_with_its_database_secret_and_sizing(string name)
    {
        var overrides = Selected(name);
        overrides["_ALLOWED_ORIGINS"] = "https://app.example.com,http://localhost:5173";
        var cancellationToken = TestContext.Current.CancellationToken;

        var build = await StepRun.RunAsync(Build.Substitute(Build.Step($"build-{name}").Script, overrides), cancellationToken);
        var push = await StepRun.RunAsync(Build.Substitute(Build.Step($"push-{name}").Script, overrides), cancellationToken);
        var deploy = await StepRun.RunAsync(Build.Substitute(Build.Step($"deploy-{name}").Script, overrides), cancellationToken);

        var image = $"us-central1-docker.pkg.dev/demo-project/invoice-api/{name}:build-1";
        Assert.Equal((0, 0, 0), (build.ExitCode, push.ExitCode, deploy.ExitCode));
        Assert.Contains(image, Assert.Single(build.CallsOf("docker")));
        Assert.Equal(["docker", "push", image], Assert.Single(push.CallsOf("docker")));
        var call = DeployCall(deploy);
        Assert.Equal(["gcloud", "run", "deploy", name], call.Take(4));
        Assert.Equal(image, StepRun.Flag(call, "--image"));
        Assert.Equal("demo:us-central1:main", StepRun.Flag(call, "--add-cloudsql-instances"));
        // --update-*, not --set-*: settings an operator added with `gcloud run services update` survive the next deploy.
        Assert.Equal("DB_PASS=invoice-api-db-pass:latest", StepRun.Flag(call, "--update-secrets"));
        Assert.Null(StepRun.Flag(call, "--set-env-vars"));
        Assert.Null(StepRun.Flag(call, "--set-secrets"));
        Assert.Equal(("10", "2"), (StepRun.Flag(call, "--concurrency"), StepRun.Flag(call, "--max-instances")));
        Assert.Equal("invoice-api@demo-project.iam.gserviceaccount.com", StepRun.Flag(call, "--service-account"));
        Assert.Equal("all", StepRun.Flag(call, "--ingress"));
        Assert.Contains("--cpu-boost", call);
        Assert.Contains("--allow-unauthenticated", call);
        var environment = DeployedEnvironment(call);
        Assert.Equal("demo:us-central1:main", environment["INSTANCE_CONNECTION_NAME"]);
        Assert.Equal(("invoices", "invoice_api_app", "10"), (environment["DB_NAME"], environment["DB_USER"], environment["DB_POOL_MAX"]));
        Assert.Equal("10", environment["CLOUD_RUN_CONCURRENCY"]);
        Assert.Equal("demo-project", environment["AUTH_FIREBASE_PROJECT"]);
        Assert.Equal("https://app.example.com,http://localhost:5173", environment["ALLOWED_ORIGINS"]);
        Assert.Contains($"{name}: https://{name}-abc-uc.a.run.app", deploy.Output, StringComparison.Ordinal);
        AssertStagedRollout(deploy, call, name);
    }

    // The service exists (the stand-in describes it): the revision is staged without traffic under the tag "candidate",
    // checked at the tag's URL, and only then given the traffic.
    private static void AssertStagedRollout(StepRun run, IReadOnlyList<string> call, string name)
    {
        Assert.Contains("--no-traffic", call);
        Assert.Equal("candidate", StepRun.Flag(call, "--tag"));
        Assert.Equal(["curl", "-fsS", $"https://candidate---{name}-abc-uc.a.run.app/readyz"], Assert.Single(run.CallsOf("curl")));
        Assert.Equal(["gcloud", "run", "services", "update-traffic", name, "--region=us-central1", "--to-latest", "--remove-tags=candidate"],
            run.CallsOf("gcloud").Last());
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public async Task A_new_revision_that_is_not_ready_never_gets_the_traffic(string name)
    {
        // The stand-in curl fails, as for a revision whose /readyz answers 503.
        var script = "curl() { return 22; }\n" + Build.Substitute(Build.Step($"deploy-{name}").Script, Selected(name));

        var run = await StepRun.RunAsync(script, TestContext.Current.CancellationToken);

        Assert.NotEqual(0, run.ExitCode);
        Assert.DoesNotContain(run.CallsOf("gcloud"), call => call.Contains("update-traffic"));
        Assert.Contains("traffic stays where it was", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public async Task A_first_deploy_takes_the_traffic_at_once_after_its_check(string name)
    {
        // The stand-in gcloud finds no service to describe before the deploy, as for a first deploy.
        var script = "described=0\ngcloud() { if [ \"$2 $3\" = \"services describe\" ] && [ $described = 0 ]; then described=1; return 1; fi; "
            + "[ \"$2 $3\" = \"services describe\" ] && echo \"https://$4-abc-uc.a.run.app\"; return 0; }\n"
            + Build.Substitute(Build.Step($"deploy-{name}").Script, Selected(name));

        var run = await StepRun.RunAsync(script, TestContext.Current.CancellationToken);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["curl", "-fsS", $"https://{name}-abc-uc.a.run.app/readyz"], Assert.Single(run.CallsOf("curl")));
    }

    private static IReadOnlyList<string> DeployCall(StepRun run) => run.CallsOf("gcloud").First(call => call is [_, "run", "deploy", ..]);

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public async Task A_function_not_in_FUNCTIONS_is_neither_built_pushed_nor_deployed(string name)
    {
        var others = string.Join(',', FunctionNames().Select(row => (string)row.Data).Where(other => other != name).DefaultIfEmpty("none"));
        var overrides = Selected(others);

        foreach (var step in new[] { $"build-{name}", $"push-{name}", $"deploy-{name}" })
        {
            var run = await StepRun.RunAsync(Build.Substitute(Build.Step(step).Script, overrides), TestContext.Current.CancellationToken);
            Assert.Equal(0, run.ExitCode);
            Assert.Empty(run.Calls);
            Assert.Contains("not selected: skipped", run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_ALLOWED_ORIGINS_the_variable_is_left_unset()
    {
        var run = await StepRun.RunAsync(Build.Substitute(Build.Step("deploy-stats").Script, Selected("stats")), TestContext.Current.CancellationToken);

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("ALLOWED_ORIGINS", DeployedEnvironment(DeployCall(run)).Keys);
    }

    [Theory]
    [InlineData("invoices,stat")]
    [InlineData("invoices,Stats")]
    public async Task An_unknown_function_name_stops_the_build_at_the_first_step(string functions)
    {
        var run = await StepRun.RunAsync(Build.Substitute(Build.Step("check").Script, Selected(functions)), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Unknown function", run.Output, StringComparison.Ordinal);
        Assert.Equal("check", Build.Steps[0].Id);
    }

    [Fact]
    public async Task A_missing_instance_connection_name_stops_the_build_at_the_first_step()
    {
        var overrides = Selected("stats");
        overrides["_INSTANCE_CONNECTION_NAME"] = "";

        var run = await StepRun.RunAsync(Build.Substitute(Build.Step("check").Script, overrides), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("_INSTANCE_CONNECTION_NAME", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_step_prints_the_URL_of_each_selected_function()
    {
        var run = await StepRun.RunAsync(Build.Substitute(Build.Step("urls").Script, Selected("stats")), TestContext.Current.CancellationToken);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("stats: https://stats-abc-uc.a.run.app", run.Output.Trim());
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public async Task With_IAM_login_a_function_is_its_service_accounts_database_user_with_no_password(string name)
    {
        var overrides = WithIamLogin(Selected(name));
        overrides["_CURSOR_SIGNING_KEY_SECRET"] = "invoice-api-cursor-key";

        var run = await StepRun.RunAsync(Build.Substitute(Build.Step($"deploy-{name}").Script, overrides), TestContext.Current.CancellationToken);

        Assert.Equal(0, run.ExitCode);
        var call = DeployCall(run);
        var environment = DeployedEnvironment(call);
        Assert.Equal("true", environment["DB_IAM_AUTH"]);
        // Cloud SQL's name for the service account's IAM database user: its email less ".gserviceaccount.com".
        Assert.Equal("invoice-api@demo-project.iam", environment["DB_USER"]);
        Assert.Equal("invoice-api@demo-project.iam.gserviceaccount.com", StepRun.Flag(call, "--service-account"));
        Assert.DoesNotContain("DB_PASS", environment.Keys);
        // A DB_PASS left by an earlier password deploy would make the function refuse to start.
        Assert.Equal("DB_PASS", StepRun.Flag(call, "--remove-secrets"));
        var secrets = StepRun.Flag(call, "--update-secrets");
        if (name == "invoices")
        {
            Assert.Equal("CURSOR_SIGNING_KEY=invoice-api-cursor-key:latest", secrets);
        }
        else
        {
            Assert.Null(secrets);
        }
        Assert.Null(StepRun.Flag(call, "--set-secrets"));
        Assert.Null(StepRun.Flag(call, "--remove-env-vars"));
        // The staged rollout is the same as with passwords.
        AssertStagedRollout(run, call, name);
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public async Task With_password_login_a_function_gets_its_secret_and_loses_an_IAM_switch_left_from_before(string name)
    {
        var run = await StepRun.RunAsync(Build.Substitute(Build.Step($"deploy-{name}").Script, Selected(name)), TestContext.Current.CancellationToken);

        Assert.Equal(0, run.ExitCode);
        var call = DeployCall(run);
        var environment = DeployedEnvironment(call);
        Assert.Equal("invoice_api_app", environment["DB_USER"]);
        Assert.DoesNotContain("DB_IAM_AUTH", environment.Keys);
        Assert.Equal("DB_PASS=invoice-api-db-pass:latest", StepRun.Flag(call, "--update-secrets"));
        Assert.Equal("DB_IAM_AUTH", StepRun.Flag(call, "--remove-env-vars"));
        Assert.Null(StepRun.Flag(call, "--remove-secrets"));
    }

    [Fact]
    public async Task With_IAM_login_the_migration_job_runs_as_its_own_service_account_and_database_user()
    {
        var run = await StepRun.RunAsync(Build.Substitute(Build.Step("migrate").Script, WithIamLogin(Selected("invoices,stats"))), TestContext.Current.CancellationToken);

        Assert.Equal(0, run.ExitCode);
        var calls = run.CallsOf("gcloud").ToList();
        Assert.Equal(2, calls.Count);
        var deploy = calls[0];
        Assert.Equal(["gcloud", "run", "jobs", "deploy", "invoice-api-migrate"], deploy.Take(5));
        Assert.Equal("invoice-api-migrator@demo-project.iam.gserviceaccount.com", StepRun.Flag(deploy, "--service-account"));
        Assert.Equal("INSTANCE_CONNECTION_NAME=demo:us-central1:main,DB_NAME=invoices,DB_USER=invoice-api-migrator@demo-project.iam,DB_IAM_AUTH=true",
            StepRun.Flag(deploy, "--set-env-vars"));
        // The job's settings are replaced at each deploy (--set-*): no secret survives, so no DB_PASS from the password path.
        Assert.Contains("--clear-secrets", deploy);
        Assert.Null(StepRun.Flag(deploy, "--set-secrets"));
        Assert.Equal(["gcloud", "run", "jobs", "execute", "invoice-api-migrate", "--region=us-central1", "--wait"], calls[1]);
    }

    [Fact]
    public async Task With_password_login_the_migration_job_runs_as_the_functions_service_account_unless_told_otherwise()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var overrides = Selected("stats");
        var byDefault = await StepRun.RunAsync(Build.Substitute(Build.Step("migrate").Script, overrides), cancellationToken);
        overrides["_MIGRATOR_SERVICE_ACCOUNT"] = "invoice-api-migrator@demo-project.iam.gserviceaccount.com";
        var ownAccount = await StepRun.RunAsync(Build.Substitute(Build.Step("migrate").Script, overrides), cancellationToken);

        Assert.Equal((0, 0), (byDefault.ExitCode, ownAccount.ExitCode));
        Assert.Equal("invoice-api@demo-project.iam.gserviceaccount.com", StepRun.Flag(byDefault.CallsOf("gcloud").First(), "--service-account"));
        Assert.Equal("invoice-api-migrator@demo-project.iam.gserviceaccount.com", StepRun.Flag(ownAccount.CallsOf("gcloud").First(), "--service-account"));
        Assert.DoesNotContain("--clear-secrets", byDefault.CallsOf("gcloud").First());
    }

    [Theory]
    [InlineData("")]
    [InlineData("invoice-api@demo-project.iam.gserviceaccount.com")]
    public async Task With_IAM_login_one_service_account_for_the_functions_and_the_migrator_stops_the_build_at_the_first_step(string migratorAccount)
    {
        // Empty means "the functions' account", which with IAM would make the functions' database user the schema's owner.
        var overrides = WithIamLogin(Selected("stats"));
        overrides["_MIGRATOR_SERVICE_ACCOUNT"] = migratorAccount;

        var run = await StepRun.RunAsync(Build.Substitute(Build.Step("check").Script, overrides), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("With _DB_AUTH=iam, set _MIGRATOR_SERVICE_ACCOUNT to a service account other than _SERVICE_ACCOUNT", run.Output, StringComparison.Ordinal);
        Assert.Contains("must own nothing", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_DB_AUTH", "passwords", "Unknown _DB_AUTH 'passwords'")]
    [InlineData("_SERVICE_ACCOUNT", "invoice-api", "must each be a service account's full email")]
    [InlineData("_MIGRATOR_SERVICE_ACCOUNT", "invoice-api-migrator@demo-project.iam", "must each be a service account's full email")]
    public async Task An_unusable_login_setting_stops_the_build_at_the_first_step(string substitution, string value, string message)
    {
        var overrides = WithIamLogin(Selected("stats"));
        overrides[substitution] = value;

        var run = await StepRun.RunAsync(Build.Substitute(Build.Step("check").Script, overrides), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("iam")]
    public async Task The_first_step_accepts_each_login_method_set_up_as_documented(string method)
    {
        var overrides = method == "iam" ? WithIamLogin(Selected("invoices,stats")) : Selected("invoices,stats");

        var run = await StepRun.RunAsync(Build.Substitute(Build.Step("check").Script, overrides), TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.Output);
    }

    [Fact]
    public async Task The_IAM_setup_of_deploy_md_runs_through_the_stand_in_gcloud_and_gives_the_pipeline_what_it_relies_on()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var document = RepositoryFiles.Read("docs/deploy.md");
        var setup = Section(document, "## One-time setup");
        var iam = Section(document, "## IAM database login (recommended)");
        // Pasted in one shell, as the document says; set -u catches a variable used but never set.
        var shell = "set -euo pipefail\n" + string.Join('\n', CodeBlocks(setup, "sh").Concat(CodeBlocks(iam, "sh")));

        var run = await StepRun.RunAsync(shell, cancellationToken);

        Assert.True(run.ExitCode == 0, run.Output);
        var calls = run.CallsOf("gcloud").Select(call => string.Join(' ', call)).ToList();
        Assert.Contains("gcloud sql instances patch invoices-db --database-flags=cloudsql.iam_authentication=on", calls);
        string[] users = ["invoice-api@my-project.iam", "invoice-api-migrator@my-project.iam"];
        foreach (var user in users)
        {
            Assert.Contains($"gcloud sql users create {user} --instance=invoices-db --type=cloud_iam_service_account", calls);
            foreach (var role in new[] { "roles/cloudsql.client", "roles/cloudsql.instanceUser" })
            {
                Assert.Contains($"gcloud projects add-iam-policy-binding my-project --member=serviceAccount:{user}.gserviceaccount.com --role={role}", calls);
            }
        }
        // The grants name the same users, and the migrator's makes it a member of the password path's schema owner.
        var sql = string.Join('\n', CodeBlocks(iam, "sql"));
        Assert.Contains($"GRANT invoice_api_runtime TO \"{users[0]}\";", sql, StringComparison.Ordinal);
        Assert.Contains($"GRANT {Build.Substitutions["_MIGRATOR_DB_USER"]} TO \"{users[1]}\";", sql, StringComparison.Ordinal);

        // The documented build command passes the pipeline's first step, and the steps log in as the users created above.
        var submit = run.CallsOf("gcloud").Single(call => call is [_, "builds", "submit", ..]);
        var substitutions = (StepRun.Flag(submit, "--substitutions") ?? "").Split(',').Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        substitutions["PROJECT_ID"] = "my-project";
        substitutions["_FUNCTIONS"] = "stats";
        Assert.Equal("iam", substitutions["_DB_AUTH"]);
        var check = await StepRun.RunAsync(Build.Substitute(Build.Step("check").Script, substitutions), cancellationToken);
        var migrate = await StepRun.RunAsync(Build.Substitute(Build.Step("migrate").Script, substitutions), cancellationToken);
        var deploy = await StepRun.RunAsync(Build.Substitute(Build.Step("deploy-stats").Script, substitutions), cancellationToken);
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Equal((0, 0), (migrate.ExitCode, deploy.ExitCode));
        Assert.Contains($"DB_USER={users[1]},", StepRun.Flag(migrate.CallsOf("gcloud").First(), "--set-env-vars"), StringComparison.Ordinal);
        Assert.Equal(users[0], DeployedEnvironment(DeployCall(deploy))["DB_USER"]);
    }

    /// <summary>The text of a markdown document from a heading to the next heading of the same level.</summary>
    private static string Section(string document, string heading)
    {
        var start = document.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/deploy.md has no section '{heading}'.");
        var end = document.IndexOf("\n## ", start + heading.Length + 1, StringComparison.Ordinal);
        return end < 0 ? document[start..] : document[start..end];
    }

    private static IEnumerable<string> CodeBlocks(string markdown, string language) =>
        System.Text.RegularExpressions.Regex.Matches(markdown, "```" + language + "\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(match => match.Groups[1].Value);

    /// <summary>What an operator reads: README.md and every document under docs/, as one text.</summary>
    internal static string Documentation() =>
        string.Join('\n', Directory.GetFiles(RepositoryFiles.PathOf("docs"), "*.md").Order(StringComparer.Ordinal)
            .Select(File.ReadAllText).Prepend(RepositoryFiles.Read("README.md")));

    /// <summary>The recommended login: each service account is its own IAM database user, the migrator's another than the functions'.</summary>
    internal static Dictionary<string, string> WithIamLogin(Dictionary<string, string> overrides)
    {
        overrides["_DB_AUTH"] = "iam";
        overrides["_MIGRATOR_SERVICE_ACCOUNT"] = "invoice-api-migrator@demo-project.iam.gserviceaccount.com";
        return overrides;
    }

    internal static Dictionary<string, string> Selected(string functions) =>
        new(StringComparer.Ordinal) { ["_FUNCTIONS"] = functions, ["_INSTANCE_CONNECTION_NAME"] = "demo:us-central1:main" };

    // --update-env-vars="^|^A=1|B=2": gcloud's custom delimiter, so values may hold commas (origins) and "@" (IAM users).
    internal static Dictionary<string, string> DeployedEnvironment(IReadOnlyList<string> call)
    {
        var value = StepRun.Flag(call, "--update-env-vars") ?? "";
        var delimiter = value.StartsWith('^') ? value[1..value.IndexOf('^', 1)] : ",";
        var pairs = value.StartsWith('^') ? value[(value.IndexOf('^', 1) + 1)..] : value;
        return pairs.Split(delimiter).Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
    }
}
