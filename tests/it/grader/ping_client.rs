//! Seção 2, o cliente Pinger: o nosso, o do enunciado e os errados de propósito.

use super::{
    ASSIGNMENT_PING_CLIENT, assert_all_gone, grade, grade_in, grade_python, has_proc, path_of,
    python_file, python3,
};

#[test]
fn grader_passes_our_ping_client() {
    let ours = path_of("ping-client");
    grade(&["ping-client", "--", &ours, "--port", "{port}"]).assert_passes();
}

#[test]
fn grader_passes_the_assignments_ping_client() {
    if !python3() {
        return;
    }
    grade_python(&["ping-client"], ASSIGNMENT_PING_CLIENT, &["{port}"]).assert_passes();
}

#[test]
fn ping_client_without_timeout_fails_the_wait_check_and_is_stopped() {
    if !python3() || !has_proc() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT.replace("client_socket.settimeout(1)", "pass");
    let dir = python_file(&code);
    let pids = dir.0.join("pids");
    let graded = grade_in(
        &dir.0,
        &["ping-client", "--", "python3", "trabalho.py", "{port}"],
        &[("PID_FILE", &pids)],
    );
    graded.assert_fails_only(1, "ping.espera");
    assert_all_gone(&pids);
}

#[test]
fn ping_client_with_a_short_timeout_fails_the_wait_check() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT.replace("settimeout(1)", "settimeout(0.2)");
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.espera");
}

#[test]
fn ping_client_on_one_socket_that_takes_a_late_reply_fails_only_good_practice_unless_strict() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT
        .replace(
            "for pings in range(1, 11):\n    client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n    client_socket.settimeout(1)",
            "client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nclient_socket.settimeout(1)\nfor pings in range(1, 11):",
        );
    assert_ne!(code, ASSIGNMENT_PING_CLIENT);
    let graded = grade_python(&["ping-client"], &code, &["{port}"]);
    graded.assert_practice_only("ping.atrasada");
    assert!(graded.report.contains("número"), "{}", graded.report);
    grade_python(&["ping-client", "--strict"], &code, &["{port}"])
        .assert_fails_only(1, "ping.atrasada");
}

#[test]
fn ping_client_that_hides_losses_fails_the_lost_report_check() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT.replace(
        "print(\"Pacote foi perdido durante a transmissão\")",
        "pass",
    );
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.perdido");
}

#[test]
fn ping_client_with_nine_pings_fails_the_count_check() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT.replace("range(1, 11)", "range(1, 10)");
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.dez");
}

#[test]
fn ping_client_that_never_stops_fails_the_count_check() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT
        .replace("import time", "import itertools, time")
        .replace("range(1, 11)", "itertools.count(1)");
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.dez");
}

#[test]
fn ping_client_that_hangs_after_the_last_ping_fails_the_finish_check() {
    if !python3() {
        return;
    }
    let code = format!("{ASSIGNMENT_PING_CLIENT}\ntime.sleep(60)\n");
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.termina");
}

#[test]
fn ping_client_that_answers_without_rtt_fails_the_rtt_check() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT.replace("\" RTT: \" + str(RTT)", "\"\"");
    assert_ne!(code, ASSIGNMENT_PING_CLIENT);
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.rtt");
}

#[test]
fn ping_client_with_unrecognisable_output_is_told_so() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT
        .replace(
            "print(\"Ping: \" + str(pings) + \" Data e Hora: \" + data_e_hora_string + \" Mensagem do servidor: \" + str(mensagem) +  \" RTT: \" + str(RTT))",
            "print('ok')",
        )
        .replace("print(\"Pacote foi perdido durante a transmissão\")", "print('nada')");
    // Dez linhas, uma por ping: a posição diz o ping, e nenhuma tem RTT.
    let graded = grade_python(&["ping-client"], &code, &["{port}"]);
    graded.assert_fails_only(1, "ping.rtt");
    assert!(
        graded
            .report
            .contains("nenhuma linha da saída tem um número de RTT"),
        "{}",
        graded.report
    );
    // Sem uma linha por ping e sem números, a saída é ilegível, e o relatório diz.
    let code = code.replace("print('nada')", "pass");
    let graded = grade_python(&["ping-client"], &code, &["{port}"]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert!(
        graded.report.contains("não consegui ler a saída"),
        "{}",
        graded.report
    );
}
