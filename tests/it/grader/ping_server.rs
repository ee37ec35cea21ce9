//! Seção 2, o servidor Pinger: o nosso, o do enunciado e os errados de propósito.

use super::{grade, grade_python, path_of, python3};

use crate::support;

#[test]
fn grader_passes_our_ping_server() {
    let ours = path_of("ping-server");
    // Com semente, a sequência de descartes do nosso servidor é sempre a mesma.
    let graded = grade(&[
        "ping-server",
        "--",
        &ours,
        "--port",
        "{port}",
        "--seed",
        "7",
    ]);
    graded.assert_passes();
    assert!(
        graded.report.contains("compatível com os 30% do texto"),
        "{}",
        graded.report
    );
}

#[test]
fn grader_accepts_the_assignments_ping_server_and_flags_its_36_percent_loss() {
    if !python3() {
        return;
    }
    let graded = grade_python(
        &["ping-server"],
        support::ASSIGNMENT_PING_SERVER,
        &["{port}"],
    );
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(
        graded.failed(true).is_empty() && graded.failed(false).is_empty(),
        "{}",
        graded.report
    );
    assert!(
        graded
            .report
            .contains("[aviso ] ping.perda-30 · perda de 30%, como o texto diz")
            && graded.report.contains("4/11 ≈ 36,4%"),
        "{}",
        graded.report
    );
}

#[test]
fn ping_server_without_upper_case_fails_the_echo_check() {
    if !python3() {
        return;
    }
    let code = support::ASSIGNMENT_PING_SERVER.replace("message = message.upper()", "pass");
    grade_python(&["ping-server"], &code, &["{port}"]).assert_fails_only(1, "ping.eco");
}

#[test]
fn ping_server_without_loss_fails_the_loss_check() {
    if !python3() {
        return;
    }
    let code = support::ASSIGNMENT_PING_SERVER.replace("if rand < 4:", "if False:");
    grade_python(&["ping-server"], &code, &["{port}"]).assert_fails_only(1, "ping.perda");
}

#[test]
fn ping_server_that_answers_the_first_client_only_fails_the_two_clients_check() {
    if !python3() {
        return;
    }
    // Responde para quem mandou a mensagem *anterior*: com um cliente só
    // funciona; com dois intercalados, cada um recebe os ecos do outro.
    let code = support::ASSIGNMENT_PING_SERVER
        .replace("while True:", "previous = None\nwhile True:")
        .replace(
            "    message = message.upper()",
            "    message = message.upper()\n    destination = previous or address\n    previous = address",
        )
        .replace("server_socket.sendto(message, address)", "server_socket.sendto(message, destination)");
    grade_python(&["ping-server"], &code, &["{port}"]).assert_fails_only(1, "ping.dois-clientes");
}

#[test]
fn ping_server_that_dies_on_binary_fails_only_good_practice_unless_strict() {
    if !python3() {
        return;
    }
    let code = support::ASSIGNMENT_PING_SERVER.replace(
        "message = message.upper()",
        "message = message.decode().upper().encode()",
    );
    let graded = grade_python(&["ping-server"], &code, &["{port}"]);
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(graded.failed(true).is_empty(), "{}", graded.report);
    assert_eq!(
        graded.failed(false),
        vec!["ping.estranhos"],
        "{}",
        graded.report
    );
    assert!(graded.report.contains("binário"), "{}", graded.report);
    let strict = grade_python(&["ping-server", "--strict"], &code, &["{port}"]);
    assert_eq!(strict.code, 1, "{}", strict.report);
}
