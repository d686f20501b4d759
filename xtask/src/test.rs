//! `cargo xtask test`: every check, in the order that fails fastest, as CI runs it.

use phone_launch::Postgres;

use crate::{
    Result, budget,
    e2e::{self, Browser},
    embed, package,
    process::{Steps, command, run},
    readme, sizes,
    tools::{self, CHROMEDRIVER, use_driver},
    trunk,
};

/// Names the PostgreSQL cluster that phone-server's API tests run on; unset, they use SQLite.
const POSTGRES_VARIABLE: &str = "PHONEDESK_TEST_POSTGRES";

/// Makes phone-server's API tests run against a gateway in front of a second server.
const GATEWAY_VARIABLE: &str = "PHONEDESK_TEST_GATEWAY";

/// Runs every check; the first failure stops the run.
///
/// # Errors
/// The failing step, by name.
pub(crate) fn run_all() -> Result {
    let mut steps = Steps::new(16);
    let mut geckodriver = String::new();
    steps.step(
        "tools: wasm32 target, wasm-opt, wasm-bindgen-cli, trunk, chromium, firefox, postgresql, \
         promtool",
        || {
            tools::ensure_web_tools()?;
            geckodriver = tools::ensure_firefox()?;
            // The native tests' API suite needs both.
            tools::ensure_postgres()?;
            tools::ensure_operator_tools()?;
            tools::ensure_promtool()?;
            run(command("cargo", &["fetch", "--quiet"]))
        },
    )?;
    steps.step("cargo fmt --check", || run(command("cargo", &["fmt", "--all", "--check"])))?;
    steps.step("no circles of modules, no long file without a reason (structure)", || {
        crate::structure::run_structure(true)
    })?;
    steps.step("cargo clippy (native, wasm32, phone-model without serde)", || {
        let deny = ["--", "-D", "warnings"];
        // All features: the fault tests behind `fault-tests` are linted too.
        let mut native =
            command("cargo", &["clippy", "--workspace", "--all-targets", "--all-features"]);
        native.args(deny);
        run(native)?;
        let mut wasm = command(
            "cargo",
            &[
                "clippy",
                "--package",
                "phonedesk",
                "--all-targets",
                "--target",
                "wasm32-unknown-unknown",
            ],
        );
        wasm.args(deny);
        run(wasm)?;
        let mut lean =
            command("cargo", &["clippy", "--package", "phone-model", "--no-default-features"]);
        lean.args(deny);
        run(lean)
    })?;
    steps.step("native tests (cargo test --workspace)", || {
        eprintln!("phone-server's tests run on SQLite ({POSTGRES_VARIABLE} unset)");
        // The end-to-end tests need the release build: they run last.
        let mut native = command("cargo", &["test", "--workspace", "--exclude", "phone-e2e"]);
        native.env_remove(POSTGRES_VARIABLE).env_remove(GATEWAY_VARIABLE);
        run(native)?;
        // The on-demand build's packs: a build with no plan of its own, so its other tests,
        // which need the plans, do not apply.
        let packs = ["test", "--package", "phone-model", "--features", "on-demand", "--lib"];
        run(command("cargo", &[&packs[..], &["packs"]].concat()))
    })?;
    steps.step("phone-server API tests on PostgreSQL (cargo test --test api)", || {
        // Stopped and deleted whatever the tests' outcome, and by its Drop should anything in
        // between panic; nothing here exits the process while it lives.
        let cluster = Postgres::start()?;
        eprintln!(
            "phone-server's API tests run on PostgreSQL ({POSTGRES_VARIABLE}={})",
            cluster.url()
        );
        // The same package selection as the run before, so its build is reused: with
        // `--package phone-server` alone, features unify differently and half the workspace
        // builds again (two minutes here).
        let args = ["test", "--workspace", "--exclude", "phone-e2e", "--test", "api"];
        let mut api = command("cargo", &args);
        api.env(POSTGRES_VARIABLE, cluster.url()).env_remove(GATEWAY_VARIABLE);
        let tests = run(api);
        let stopped = cluster.stop();
        tests?;
        Ok(stopped?)
    })?;
    steps.step(
        "README's First run and Upgrading, as written, on SQLite and PostgreSQL",
        readme::run_readme_sections,
    )?;
    steps.step("phone-server API tests through a gateway (PHONEDESK_TEST_GATEWAY)", || {
        eprintln!(
            "each test's server is a gateway (--upstream) in front of a second phone-server \
             playing the provider"
        );
        let args = ["test", "--workspace", "--exclude", "phone-e2e", "--test", "api"];
        let mut api = command("cargo", &args);
        api.env_remove(POSTGRES_VARIABLE).env(GATEWAY_VARIABLE, "1");
        run(api)
    })?;
    for browser in [Browser::Chromium, Browser::Firefox] {
        steps.step(
            &format!(
                "wasm tests in headless {} (cargo test --target wasm32-unknown-unknown)",
                browser.name()
            ),
            || {
                // One crate at a time: built together, the app's plans-less core (it fetches
                // them) would be the module's too.
                for package in ["phonedesk", "phone-wasm"] {
                    let mut wasm = command(
                        "cargo",
                        &[
                            "test",
                            "--package",
                            package,
                            "--target",
                            "wasm32-unknown-unknown",
                            // The browser tests; phone-wasm's throughput benchmark runs in
                            // `embed`.
                            "--test",
                            "web",
                        ],
                    );
                    match browser {
                        Browser::Chromium => use_driver(&mut wasm, "CHROMEDRIVER", CHROMEDRIVER),
                        Browser::Firefox => use_driver(&mut wasm, "GECKODRIVER", &geckodriver),
                    }
                    run(wasm)?;
                }
                Ok(())
            },
        )?;
    }
    steps.step("trunk build --release", || {
        trunk::build()?;
        sizes::print_app_sizes()
    })?;
    steps.step(
        "embeddable validator (cargo xtask embed): build, pack, size, speed",
        embed::run_embed,
    )?;
    // After both builds it measures: the release app in dist/ and the modules in target/embed/.
    steps.step(
        "size budget (cargo xtask budget): what a user downloads, against xtask/sizes.toml",
        budget::run_budget,
    )?;
    steps.step(
        "the validator's npm package in Vite, webpack, esbuild, Rollup, a page, Node.js, Deno, Bun",
        package::run_fixtures,
    )?;
    for browser in [Browser::Chromium, Browser::Firefox] {
        steps.step(
            &format!(
                "end to end: the release app in headless {} against phone-server",
                browser.name()
            ),
            || e2e::run_e2e(browser, &geckodriver),
        )?;
    }
    steps.finish();
    Ok(())
}
