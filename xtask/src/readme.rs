//! The README's "First run" and "Upgrading", run exactly as written, on SQLite and on
//! PostgreSQL: the commands an operator copies are the commands tested.
//!
//! Each shell block the README marks `<!-- readme-test: NAME -->` is written to a file of its
//! own, unchanged, and a driver (`driver.sh`, below) runs them in the order an operator would,
//! adding only what an operator does by other means (starting and stopping the service, the
//! environment file with `PHONEDESK_DATABASE`) and the checks. Everything runs in a network
//! namespace of its own (`unshare --net`, so root), where `127.0.0.1:8080` and PostgreSQL's
//! `localhost:5432` are free whatever else the machine runs; PostgreSQL is a throwaway cluster
//! started there, its superuser's blocks run as the `postgres` user. On SQLite the run goes on
//! behind the README's nginx, with a throwaway certificate at the paths it names (bind-mounted
//! in a mount namespace of its own, so the machine's `/etc/ssl` and `/var/log/nginx` are
//! untouched).

use std::{
    collections::HashMap,
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use crate::{
    Result,
    process::{command, run},
    root,
};

/// The marked blocks each run needs, by engine.
const SQLITE_BLOCKS: &[&str] = &[
    "first-run",
    "serve",
    "first-customer",
    "backup-sqlite",
    "check",
    "restore-sqlite",
    "serve-behind-proxy",
    "nginx",
];
const POSTGRES_BLOCKS: &[&str] = &[
    "postgres-superuser",
    "first-run",
    "serve",
    "first-customer",
    "backup-postgres",
    "check",
    "restore-postgres-superuser",
    "restore-postgres",
];

/// What the driver types where a command asks: the database role's password twice
/// (`createuser --pwprompt`), and the staff user's.
const DATABASE_PASSWORD: &str = "readme-database-password";
const STAFF_PASSWORD: &str = "readme staff password";

/// Builds the debug `phone-server`, then runs the sections: `cargo xtask readme` alone.
///
/// # Errors
/// As [`run_readme_sections`], or when the build fails.
pub(crate) fn build_and_run_readme_sections() -> Result {
    run(command("cargo", &["build", "--package", "phone-server"]))?;
    run_readme_sections()
}

/// Runs both engines' sections with the debug `phone-server` as it is: in `cargo xtask test`,
/// the one the native tests built (building it again with other features took 40 s).
///
/// # Errors
/// When a block is missing from the README, a command in it fails, or a check does.
pub(crate) fn run_readme_sections() -> Result {
    let readme = fs::read_to_string(root().join("README.md"))?;
    let blocks = marked_blocks(&readme);
    let server = root().join("target/debug/phone-server");
    for (engine, names) in [("sqlite", SQLITE_BLOCKS), ("postgres", POSTGRES_BLOCKS)] {
        eprintln!("README's First run and Upgrading on {engine}");
        run_engine(engine, names, &blocks, &server)?;
    }
    Ok(())
}

/// Every block marked `<!-- readme-test: NAME -->` (the next fenced block after the marker),
/// by name.
fn marked_blocks(readme: &str) -> HashMap<String, String> {
    let mut blocks = HashMap::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(name) =
            line.trim().strip_prefix("<!-- readme-test:").and_then(|r| r.strip_suffix("-->"))
        else {
            continue;
        };
        let mut block = String::new();
        let mut inside = false;
        for line in lines.by_ref() {
            if line.starts_with("```") {
                if inside {
                    break;
                }
                inside = true;
            } else if inside {
                block.push_str(line);
                block.push('\n');
            }
        }
        blocks.insert(name.trim().to_owned(), block);
    }
    blocks
}

fn run_engine(
    engine: &str,
    names: &[&str],
    blocks: &HashMap<String, String>,
    server: &Path,
) -> Result {
    let folder = Scratch::new(engine)?;
    let top = &folder.0;
    for name in names {
        let block = blocks
            .get(*name)
            .ok_or_else(|| format!("README.md has no block marked <!-- readme-test: {name} -->"))?;
        fs::write(top.join(format!("{name}.sh")), block)?;
    }
    let bin = top.join("bin");
    fs::create_dir_all(&bin)?;
    std::os::unix::fs::symlink(server, bin.join("phone-server"))?;
    fs::create_dir_all(top.join("work"))?;
    fs::write(top.join("driver.sh"), DRIVER)?;
    // The postgres user reads its blocks and keeps its cluster here.
    fs::set_permissions(top, fs::Permissions::from_mode(0o755))?;
    let mut driver = command("unshare", &["--net", "--mount", "bash", "-euo", "pipefail"]);
    driver
        .arg(top.join("driver.sh"))
        .env("T", top)
        .env("ENGINE", engine)
        .env("BIN", &bin)
        .env("DATABASE_PASSWORD", DATABASE_PASSWORD)
        .env("STAFF_PASSWORD", STAFF_PASSWORD)
        .env("PG_BIN", postgres_bin()?)
        .env_remove("PHONEDESK_DATABASE");
    let outcome = run(driver);
    if outcome.is_err() {
        for log in ["server-1.log", "server-2.log", "server-3.log", "pg/log"] {
            if let Ok(text) = fs::read_to_string(top.join(log)) {
                let tail: Vec<&str> = text.lines().rev().take(30).collect();
                eprintln!("--- {log} (last lines) ---");
                tail.iter().rev().for_each(|line| eprintln!("{line}"));
            }
        }
    }
    outcome
}

/// PostgreSQL's server binaries (initdb, pg_ctl), as `phone_launch` finds them.
fn postgres_bin() -> Result<PathBuf> {
    let initdb = phone_launch::postgres_tool("initdb")?;
    Ok(initdb.parent().map(Path::to_owned).ok_or("initdb has no folder")?)
}

/// A folder of this run's own, deleted when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(engine: &str) -> Result<Self> {
        let path =
            std::env::temp_dir().join(format!("phonedesk-readme-{engine}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The operator's day, around the README's blocks (`$T/<name>.sh`, each run as written).
const DRIVER: &str = r#"
ip link set lo up
export PATH="$BIN:$PATH"
cd "$T/work"
fail() { echo "README check failed: $*" >&2; exit 1; }
runs=0
start() {   # the service manager starting a serve block ($1, `serve` unless said)
    runs=$((runs + 1))
    # As `bash -c`, which runs a one-command block by exec: $SERVER is the server itself, so
    # the stop below signals it, as a service manager does, and sees how it exited.
    bash -euo pipefail -c "$(cat "$T/${1:-serve}.sh")" > "$T/server-$runs.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 300); do
        curl -sf http://127.0.0.1:8080/readyz > /dev/null && return 0
        kill -0 "$SERVER" 2> /dev/null || fail "the server stopped: see server-$runs.log"
        sleep 0.1
    done
    fail "the server was not ready within 30 s"
}
stop() { kill -TERM "$SERVER"; wait "$SERVER" || fail "the server did not stop cleanly"; }
superuser() {   # a block run as PostgreSQL's superuser, typing $2 where it asks
    printf '%s' "$2" | setsid runuser -u postgres -- env PGHOST="$T/pg" bash -euo pipefail "$T/$1.sh"
}
api() {   # api PATH [curl's options…]
    local path=$1
    shift
    curl -sf -H "Authorization: Bearer $TOKEN" "$@" "http://127.0.0.1:8080/CustomerServices/v1.0$path"
}
names() { api '/customers?businessId=1001' | jq -c '[.customers[].firstName] | sort'; }

behind_nginx() {   # the README's nginx in front of the README's proxied server
    mkdir -p "$T/tls/certs" "$T/tls/private" "$T/nginx-log" "$T/nginx-tmp"
    mount --bind "$T/tls/certs" /etc/ssl/certs
    mount --bind "$T/tls/private" /etc/ssl/private
    mount --bind "$T/nginx-log" /var/log/nginx
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=phonedesk.example.com \
        -addext subjectAltName=DNS:phonedesk.example.com \
        -keyout /etc/ssl/private/phonedesk.example.com.key \
        -out /etc/ssl/certs/phonedesk.example.com.pem 2> /dev/null
    # nginx's main file, as Debian's includes sites-enabled/: the README's file as it stands.
    cat > "$T/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $T/nginx.pid;
error_log $T/nginx-error.log;
events {}
http {
    client_body_temp_path $T/nginx-tmp/body;
    proxy_temp_path $T/nginx-tmp/proxy;
    fastcgi_temp_path $T/nginx-tmp/fastcgi;
    uwsgi_temp_path $T/nginx-tmp/uwsgi;
    scgi_temp_path $T/nginx-tmp/scgi;
    include $T/nginx.sh;
}
CONF
    nginx -c "$T/nginx.conf"
    trap 'nginx -c "$T/nginx.conf" -s stop 2> /dev/null || true' EXIT
    start serve-behind-proxy
    local log="$T/server-$runs.log"
    site=(--cacert /etc/ssl/certs/phonedesk.example.com.pem
          --resolve phonedesk.example.com:443:127.0.0.1)
    origin=https://phonedesk.example.com
    app=(-H 'X-Phonedesk-Request: 1' -H 'Content-Type: application/json')
    curl -sf "${site[@]}" "${app[@]}" -c "$T/jar" -H "Origin: $origin" \
        -d "{\"username\": \"ana\", \"password\": \"$STAFF_PASSWORD\"}" \
        "$origin/auth/session" > /dev/null || fail "staff cannot sign in through nginx"
    numbers="$origin/CustomerServices/v1.0/customers/$customer/phoneNumbers"
    work='{"phoneName": "Work", "countryCode": "+64", "areaCode": "4", "phoneNumber": "8012345",
           "phoneType": "work", "isPrimary": false}'
    status=$(curl -s -o /dev/null -w '%{http_code}' "${site[@]}" "${app[@]}" -b "$T/jar" \
        -H "Origin: $origin" -d "$work" "$numbers")
    [ "$status" = 201 ] || fail "a staff write through nginx answered $status"
    curl -s "${site[@]}" "${app[@]}" -b "$T/jar" -H 'Origin: https://evil.example' -d "$work" \
        "$numbers" | jq -e '.errorCode == "origin_refused"' > /dev/null \
        || fail "a write from another origin was not refused as such"
    grep -q "staff write refused" "$log" || fail "the foreign origin's refusal is not logged"
    # Two callers behind nginx: one spends its sign-in allowance (30 a minute), the other keeps
    # its own; the log names each.
    sign_in_from() {
        curl -s -o /dev/null -w '%{http_code}' "${site[@]}" "${app[@]}" --interface "$1" \
            -H "Origin: $origin" -d "{\"username\": \"guess$2\", \"password\": \"wrong\"}" \
            "$origin/auth/session"
    }
    for n in $(seq 30); do sign_in_from 127.0.0.2 "$n" > /dev/null; done
    [ "$(sign_in_from 127.0.0.2 31)" = 429 ] || fail "the hostile caller was not limited"
    curl -si "${site[@]}" "${app[@]}" --interface 127.0.0.2 -H "Origin: $origin" -d '{}' \
        "$origin/auth/session" | grep -qi '^retry-after: ' || fail "a 429 without Retry-After"
    [ "$(sign_in_from 127.0.0.3 1)" = 401 ] || fail "a second caller lost its allowance"
    grep -q 'address=127.0.0.3' "$log" || fail "the log does not name the caller behind nginx"
    grep -q 'rate limit reached.*127.0.0.2' "$log" || fail "the limit reached is not logged"
    # What staff search for stays out of nginx's access log.
    curl -sf "${site[@]}" -b "$T/jar" -H 'X-Phonedesk-Request: 1' \
        "$origin/CustomerServices/v1.0/customers?search=0211234567" > /dev/null \
        || fail "a search through nginx failed"
    grep -q 'GET /CustomerServices/v1.0/customers HTTP' /var/log/nginx/phonedesk.access.log \
        || fail "nginx logged no search"
    if grep -q 0211234567 /var/log/nginx/phonedesk.access.log; then
        fail "nginx's access log holds a searched-for number"
    fi
    # A call reaches staff through nginx as it is reported: the stream is not held in nginx's
    # buffer.
    curl -sN "${site[@]}" -b "$T/jar" -H 'X-Phonedesk-Request: 1' \
        "$origin/CustomerServices/v1.0/callEvents" > "$T/call-events" &
    events=$!
    sleep 0.5
    curl -sf "${site[@]}" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -d '{"from": "021 123 4567", "state": "ringing", "callId": "through-nginx"}' \
        "$origin/CustomerServices/v1.0/calls" > /dev/null || fail "a call through nginx failed"
    for _ in $(seq 50); do
        grep -q '"callId":"through-nginx"' "$T/call-events" && break
        sleep 0.1
    done
    kill "$events"
    grep -q '"callId":"through-nginx"' "$T/call-events" \
        || fail "a call did not reach the staff's stream through nginx within 5 s"
    stop
    nginx -c "$T/nginx.conf" -s stop
}

if [ "$ENGINE" = postgres ]; then
    install -d -o postgres -m 700 "$T/pg"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$T/pg/data" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C > /dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg/data" -l "$T/pg/log" -w start \
        -o "-p 5432 -c listen_addresses=localhost -k $T/pg -c fsync=off" > /dev/null
    trap 'runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg/data" -m immediate stop > /dev/null' EXIT
    superuser postgres-superuser "$DATABASE_PASSWORD
$DATABASE_PASSWORD
"
    # The service's environment file.
    export PHONEDESK_DATABASE="postgres://phonedesk:$DATABASE_PASSWORD@localhost:5432/phonedesk"
fi

# First run: a database, a business, a staff user, a server, a client, a first customer.
printf '%s\n' "$STAFF_PASSWORD" | bash -euo pipefail "$T/first-run.sh"
start
source "$T/first-customer.sh" > "$T/first-customer.out"
customer=$(tail -n 1 "$T/first-customer.out" | jq -r .customerId)
[ "$(names)" = '["Aroha"]' ] || fail "the first customer is not listed: $(names)"
api "/customers/$customer/phoneNumbers" | jq -e '.phoneNumbers | length == 1 and .[0].isPrimary' \
    > /dev/null || fail "the first customer has no primary number"
[ "$(stat -c %a booking.credentials)" = 600 ] || fail "the client's credentials are readable"
curl -sf -X POST http://127.0.0.1:8080/auth/session -H 'Content-Type: application/json' \
    -H 'X-Phonedesk-Request: 1' -d "{\"username\": \"ana\", \"password\": \"$STAFF_PASSWORD\"}" \
    > /dev/null || fail "the staff user cannot sign in"

# Upgrading: a backup only its owner reads, a write after it, a restart, a rollback.
bash -euo pipefail "$T/backup-$ENGINE.sh"
backup=$(ls backups/before-upgrade.*)
[ "$(stat -c %a "$backup")" = 600 ] || fail "$backup is readable by others"
api /customers -H 'Content-Type: application/json' -d '{"businessId": "1001", "firstName": "Ben",
    "phoneNumber": {"phoneName": "Home", "countryCode": "+64", "areaCode": "4",
    "phoneNumber": "8012345", "phoneType": "home", "isPrimary": true}}' > /dev/null
[ "$(names)" = '["Aroha","Ben"]' ] || fail "the write after the backup is missing: $(names)"
stop
start
bash -euo pipefail "$T/check.sh" > "$T/check.out"
grep -q '"status":"ok"' "$T/check.out" || fail "not ready after the upgrade"
grep -q "phone-server [0-9]" "$T/check.out" || fail "no version printed"
stop
if [ "$ENGINE" = postgres ]; then
    superuser restore-postgres-superuser ""
fi
bash -euo pipefail "$T/restore-$ENGINE.sh"
start
[ "$(names)" = '["Aroha"]' ] || fail "the rollback did not restore the backup: $(names)"
stop
if [ "$ENGINE" = sqlite ]; then
    behind_nginx
fi
echo "README's First run and Upgrading: every command ran, every check held ($ENGINE)"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_marks_every_block_the_runs_need() {
        let readme = fs::read_to_string(root().join("README.md")).unwrap();
        let blocks = marked_blocks(&readme);
        for name in SQLITE_BLOCKS.iter().chain(POSTGRES_BLOCKS) {
            let block = blocks.get(*name).unwrap_or_else(|| panic!("no block {name}"));
            assert!(!block.trim().is_empty(), "the block {name} is empty");
        }
        assert!(blocks["serve"].starts_with("phone-server "), "{}", blocks["serve"]);
        assert!(
            blocks["nginx"].contains("proxy_pass http://127.0.0.1:8080;"),
            "{}",
            blocks["nginx"]
        );
    }
}
