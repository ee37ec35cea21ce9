//! Testes de unidade de `grader turma`: opções, planilha, resumo, limites de saída e de tempo.

#[cfg(unix)]
use std::process::{Command, Stdio};
#[cfg(unix)]
use std::time::Instant;

#[cfg(unix)]
use super::capture::Watched;
use super::capture::{Captured, live_member, read_summary};
use super::sheet::csv_text;
use super::*;

fn parse_words(words: &[&str]) -> Result<Parsed<Batch>, UsageError> {
    parse(words.iter().map(OsString::from).collect())
}

#[test]
fn parses_the_exact_form_and_passes_single_mode_options_through() {
    let Ok(Parsed::Run(batch)) = parse_words(&[
        "entregas",
        "3a",
        "--strict",
        "--port",
        "6789",
        "--csv",
        "notas.csv",
        "--paralelo=2",
        "--tempo-limite",
        "30",
        "--",
        "python3",
        "servidor.py",
        "--csv",
    ]) else {
        panic!("devia aceitar");
    };
    assert_eq!(batch.folder, PathBuf::from("entregas"));
    assert_eq!(batch.mode, "3a");
    assert_eq!(batch.passed, ["--strict", "--port", "6789"]);
    assert_eq!(batch.csv, PathBuf::from("notas.csv"));
    assert_eq!(batch.parallel, Some(2));
    assert_eq!(batch.time_limit, Duration::from_secs(30));
    assert_eq!(batch.command, ["python3", "servidor.py", "--csv"]);
    assert_eq!(batch.output_limit, DEFAULT_OUTPUT_KIB * 1024);
}

#[test]
fn refuses_missing_pieces() {
    for words in [
        &["entregas", "3a", "--", "python3"][..],
        &["entregas", "--csv", "n.csv", "--", "python3"],
        &["entregas", "4z", "--csv", "n.csv", "--", "python3"],
        &["entregas", "3a", "--csv", "n.csv"],
        &[
            "entregas",
            "3a",
            "--csv",
            "n.csv",
            "--paralelo",
            "0",
            "--",
            "p",
        ],
        &[
            "entregas", "3a", "--csv", "n.csv", "--resumo", "r", "--", "p",
        ],
        &["a", "3a", "b", "--csv", "n.csv", "--", "p"],
    ] {
        assert!(parse_words(words).is_err(), "{words:?}");
    }
    assert!(matches!(parse_words(&["--help"]), Ok(Parsed::Help)));
}

#[test]
fn csv_fields_are_quoted_and_formulas_defused() {
    assert_eq!(csv_text("ana"), "ana");
    assert_eq!(csv_text("Silva; Ana"), "\"Silva; Ana\"");
    assert_eq!(csv_text("disse \"oi\""), "\"disse \"\"oi\"\"\"");
    assert_eq!(csv_text("=1+1"), "'=1+1");
    assert_eq!(csv_text("linha\nduas"), "\"linha\nduas\"");
}

#[test]
fn summary_gives_the_verdict_and_without_it_the_student_did_not_run() {
    let dir = std::env::temp_dir().join(format!(
        "pratica-sockets-turma-teste-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("r");
    std::fs::write(
        &path,
        "modo=3a\nexigidos_ok=5\nexigidos_falhos=1\nexigidos_nao_rodados=0\nboa_pratica_ok=2\nboa_pratica_avisos=1\nveredito=reprovado\nmotivo=404: veio 200\n",
    )
    .unwrap();
    let o = read_summary(&path, None, &Captured::default());
    assert_eq!(o.verdict, "reprovado");
    assert_eq!(o.reason, "404: veio 200");
    assert_eq!(o.counts, Some([5, 1, 0, 2, 1]));
    let stderr = Captured {
        bytes: b"erro: opcao desconhecida\n\n".to_vec(),
        dropped: 0,
    };
    let o = read_summary(&dir.join("nao-existe"), None, &stderr);
    assert_eq!(o.verdict, "nao-rodou");
    assert!(
        o.reason.ends_with(": erro: opcao desconhecida"),
        "{}",
        o.reason
    );
    assert_eq!(o.counts, None);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_flood_is_cut_at_the_limit_and_read_to_the_end() {
    // O processo só termina depois de escrever tudo: se a leitura
    // parasse no limite, o pipe encheria e ele travaria.
    let child = Command::new("sh")
        .args(["-c", "head -c 300000 /dev/zero; echo fim >&2"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut run = Watched::new(child, 1024);
    assert!(
        run.wait_or_kill(Instant::now() + Duration::from_secs(60))
            .is_some()
    );
    let (out, err) = run.finish(false);
    assert_eq!(out.bytes.len(), 1024);
    assert_eq!(out.dropped, 300_000 - 1024);
    assert!(
        out.text("relatório")
            .contains("mais 298976 bytes descartados")
    );
    assert_eq!(err.bytes, b"fim\n");
}

#[cfg(unix)]
#[test]
fn a_run_past_its_deadline_is_killed_and_reaped() {
    let child = Command::new("sleep")
        .arg("600")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut run = Watched::new(child, 1024);
    assert_eq!(run.wait_or_kill(Instant::now()), None);
    assert!(run.status.is_some(), "morto e esperado");
    let (out, _) = run.finish(false);
    assert!(out.bytes.is_empty());
}

#[test]
fn a_stat_line_names_its_group_and_a_zombie_is_not_alive() {
    assert!(live_member("42 (python3) S 1 4200 4200 0 -1", 4200));
    assert!(live_member(
        "42 (um nome) com ) e espaço) R 1 4200 4200",
        4200
    ));
    assert!(!live_member("42 (python3) S 1 4201 4201 0 -1", 4200));
    assert!(!live_member("42 (python3) Z 1 4200 4200 0 -1", 4200));
    assert!(!live_member("lixo", 4200));
    // Thread principal zumbi, com outras duas ainda saindo (20º campo = 3):
    // os arquivos continuam abertos.
    let leader = "42 (python3) Z 1 4200 4200 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 3 0";
    assert!(live_member(leader, 4200));
    assert!(!live_member(&leader.replace(" 3 0", " 1 0"), 4200));
}

/// Ajudante de `a_killed_group_frees_its_port`, que o roda num processo à
/// parte: segura uma porta e 64 MiB tocados (o kernel solta a memória antes
/// dos arquivos, o que alarga a janela entre o `kill` e a porta livre). Sem
/// a variável, não faz nada (`--include-ignored` não o prende).
#[cfg(target_os = "linux")]
#[test]
#[ignore = "ajudante de a_killed_group_frees_its_port"]
fn helper_holds_a_port() {
    let Some(file) = std::env::var_os("TURMA_AJUDANTE_PORTA") else {
        return;
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let memory = vec![1u8; 64 << 20];
    // Escreve ao lado e renomeia: quem espera nunca lê um número pela metade.
    let partial = std::path::PathBuf::from(&file).with_extension("parcial");
    std::fs::write(&partial, listener.local_addr().unwrap().port().to_string()).unwrap();
    std::fs::rename(&partial, &file).unwrap();
    std::thread::sleep(Duration::from_secs(600));
    drop((listener, memory));
}

/// Sem isolamento, o lote mata o grupo do aluno; quando `finish` volta, a
/// porta que um processo do grupo segurava já está livre para o próximo.
/// O processo que a segura tem duas threads (a do libtest e a do teste),
/// como os servidores 3b dos alunos.
#[cfg(target_os = "linux")]
#[test]
fn a_killed_group_frees_its_port() {
    use std::os::unix::process::CommandExt;
    let dir = std::env::temp_dir().join(format!("turma-porta-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("porta");
    let child = Command::new("sh")
        .args([
            "-c",
            "\"$0\" --ignored --exact turma::tests::helper_holds_a_port </dev/null >/dev/null 2>&1 & exec sleep 600",
        ])
        .arg(std::env::current_exe().unwrap())
        .env("TURMA_AJUDANTE_PORTA", &file)
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut run = Watched::new(child, 1024);
    let start = Instant::now();
    let port = loop {
        if let Ok(text) = std::fs::read_to_string(&file) {
            break text.parse::<u16>().unwrap();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "o ajudante não subiu"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(run.wait_or_kill(Instant::now()), None);
    let _ = run.finish(true);
    assert!(!run.group_survived);
    assert!(
        std::net::TcpListener::bind(("127.0.0.1", port)).is_ok(),
        "a porta {port} ainda está ocupada"
    );
}

#[test]
fn time_wait_is_found_by_local_port_in_proc_net_tcp() {
    // Cabeçalho, uma escuta (0A) na 6789 (1A85) e um TIME_WAIT (06) na 6789.
    let table = "  sl  local_address rem_address   st tx_queue rx_queue\n\
   0: 0100007F:1A85 00000000:0000 0A 00000000:00000000\n\
   1: 0100007F:1A85 0100007F:D4C2 06 00000000:00000000\n";
    assert!(super::isolation::time_wait_in(table, 6789));
    assert!(!super::isolation::time_wait_in(table, 6790));
    let listening_only = table.lines().take(2).collect::<Vec<_>>().join("\n");
    assert!(!super::isolation::time_wait_in(&listening_only, 6789));
}

#[test]
fn the_server_port_is_the_one_passed_or_the_assignments() {
    let batch = |args: &[&str]| match parse_words(args) {
        Ok(Parsed::Run(batch)) => batch,
        _ => panic!("{args:?}"),
    };
    let with = |mode: &str, extra: &[&str]| {
        let mut args = vec!["entregas", mode];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--csv", "n.csv", "--", "python3", "s.py"]);
        batch(&args).server_tcp_port()
    };
    assert_eq!(with("3a", &[]), Some(6789));
    assert_eq!(with("3b", &["--port", "8080"]), Some(8080));
    assert_eq!(with("ping-server", &[]), None);
    assert_eq!(with("3c", &["--port", "8080"]), None);
}
