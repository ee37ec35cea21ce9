#!/usr/bin/env bash
# Regenera as capturas e os traços que as aulas 00, 01 e 02 citam.
#
# SÓ LINUX. Precisa de root (o tcpdump captura no loopback), de tcpdump,
# strace, python3 e cargo. Rode da raiz do repositório:
#
#     sudo bash lessons/capturas/secao2.sh
#
# Escreve lessons/capturas/*.txt (e apaga o que criou em /tmp). Usa a porta
# UDP 12000 (a do enunciado) para o servidor de ping, ou PORT=... se ela
# estiver ocupada, e uma porta sem ninguém para o experimento do ICMP.
# Em macOS e Windows, o equivalente é o Wireshark (filtro `udp.port == 12000
# || icmp`); os números de porta, horários e RTTs mudam a cada execução.
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=lessons/capturas
PORT=${PORT:-12000}
SEED=587 # a semente cujo sorteio perde os pings 5, 6 e 7 (a aula 2 usa)
BIN=${CARGO_TARGET_DIR:-target}/release
TMP=$(mktemp -d)
export TZ=America/Sao_Paulo # a hora de Brasília, como um aluno no Brasil veria

for tool in tcpdump strace python3 cargo; do
    command -v "$tool" >/dev/null || { echo "secao2.sh: falta o programa $tool" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "secao2.sh: rode como root (o tcpdump precisa)" >&2; exit 1; }

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

cargo build --release --quiet --bins

# Espera até `arquivo` conter `texto` (no máximo 10 s).
wait_for() {
    local file=$1 text=$2 i=0
    until grep -q "$text" "$file" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 200 ] || { echo "secao2.sh: esperei '$text' em $file" >&2; cat "$file" >&2; exit 1; }
        sleep 0.05
    done
}

# tcpdump em segundo plano, gravando em $TMP/$1.pcap, com o filtro $2.
capture_start() {
    tcpdump -i lo -n -U --immediate-mode -w "$TMP/$1.pcap" "$2" 2>"$TMP/$1.tcpdump" &
    CAP=$!
    PIDS+=("$CAP")
    wait_for "$TMP/$1.tcpdump" "listening on"
}
capture_stop() {
    sleep 0.2 # o último pacote ainda pode estar a caminho do arquivo
    kill -INT "$CAP"
    wait "$CAP" 2>/dev/null || true
}

# strace com a duração de cada chamada (-T), só chamadas de rede, a partir
# do primeiro socket IP (antes disso é o Python/Rust se preparando). A saída
# do programa (stdout e stderr juntos) fica em $TMP/stdout.
trace() {
    local out=$1
    shift
    strace -T -e trace=socket,bind,connect,ioctl,fcntl,setsockopt,poll,sendto,recvfrom \
        -o "$TMP/strace" "$@" >"$TMP/stdout" 2>&1 || true
    sed -n '/^socket(AF_INET/,$p' "$TMP/strace" | grep -v -e '^+++' -e 'TCGETS' -e 'AF_UNIX' >"$out"
}

# Uma porta UDP livre (o kernel escolhe; fechamos logo em seguida).
free_port() {
    python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- Aula 2: uma execução com perda, vista pelo cliente, pelo servidor e pelo tcpdump ---
"$BIN/ping-server" --port "$PORT" --seed "$SEED" 2>"$TMP/server.log" &
SRV=$!
PIDS+=("$SRV")
wait_for "$TMP/server.log" "127.0.0.1:$PORT"
capture_start ping "udp port $PORT"
"$BIN/ping-client" --port "$PORT" >"$OUT/ping-cliente.txt"
capture_stop
# Um segundo servidor na mesma porta: a mensagem de porta ocupada e o código.
{
    echo "\$ target/release/ping-server --port $PORT"
    "$BIN/ping-server" --port "$PORT" 2>&1 && status=0 || status=$?
    echo "\$ echo \$?"
    echo "$status"
} >"$OUT/porta-ocupada.txt"
# O socket do servidor, visto pelo ss (a aula 1 cita).
ss -uanp "sport = :$PORT" >"$OUT/ss-ping-server.txt"
kill "$SRV"
wait "$SRV" 2>/dev/null || true
cp "$TMP/server.log" "$OUT/ping-servidor.txt"

# A semente 7 do exercício 1 da aula 1.
"$BIN/ping-server" --port "$PORT" --seed 7 2>"$TMP/server7.log" &
SRV=$!
PIDS+=("$SRV")
wait_for "$TMP/server7.log" "127.0.0.1:$PORT"
"$BIN/ping-client" --port "$PORT" >"$OUT/ping-cliente-semente-7.txt"
kill "$SRV"
wait "$SRV" 2>/dev/null || true
tcpdump -r "$TMP/ping.pcap" -n -X 2>/dev/null | head -n 10 >"$OUT/ping-tcpdump-X.txt"
tcpdump -r "$TMP/ping.pcap" -n -ttttt 2>/dev/null >"$OUT/ping-tcpdump.txt"

# --- O cliente do enunciado contra o nosso servidor (sem perda): o b'...' ---
"$BIN/ping-server" --port 0 --loss 0 2>"$TMP/eco.log" &
ECO=$!
PIDS+=("$ECO")
wait_for "$TMP/eco.log" "127.0.0.1:"
ECO_PORT=$(head -n 1 "$TMP/eco.log" | grep -o '127\.0\.0\.1:[0-9]*' | cut -d: -f2)
python3 "$OUT/cliente_enunciado.py" "$ECO_PORT" 2 >"$OUT/cliente-enunciado-saida.txt"
kill "$ECO"
wait "$ECO" 2>/dev/null || true

# --- Timeout: Rust (SO_RCVTIMEO) e Python (não bloqueante + poll), com um servidor que perde tudo ---
"$BIN/ping-server" --port 0 --loss 1 2>"$TMP/mudo.log" &
MUDO=$!
PIDS+=("$MUDO")
wait_for "$TMP/mudo.log" "127.0.0.1:"
MUDO_PORT=$(head -n 1 "$TMP/mudo.log" | grep -o '127\.0\.0\.1:[0-9]*' | cut -d: -f2)
trace "$OUT/strace-rust-timeout.txt" "$BIN/ping-client" --port "$MUDO_PORT" --count 1
trace "$OUT/strace-python-timeout.txt" python3 "$OUT/cliente_enunciado.py" "$MUDO_PORT" 1
kill "$MUDO"
wait "$MUDO" 2>/dev/null || true

# --- ICMP "porta inalcançável": cliente conectado (Rust) e não conectado (Python) ---
NADA=$(free_port)
# O ICMP leva dentro o cabeçalho UDP original: icmp[30:2] é a porta de destino dele.
ONLY_NADA="udp port $NADA or (icmp and icmp[30:2] == $NADA)"
capture_start icmp-rust "$ONLY_NADA"
trace "$OUT/icmp-rust-strace.txt" "$BIN/ping-client" --port "$NADA" --count 2
capture_stop
# stdout e stderr no mesmo arquivo, na ordem em que saíram (como no terminal).
cp "$TMP/stdout" "$OUT/icmp-rust-saida.txt"
tcpdump -r "$TMP/icmp-rust.pcap" -n -ttttt 2>/dev/null >"$OUT/icmp-rust-tcpdump.txt"

capture_start icmp-python "$ONLY_NADA"
trace "$OUT/icmp-python-strace.txt" python3 "$OUT/cliente_enunciado.py" "$NADA" 2
capture_stop
cp "$TMP/stdout" "$OUT/icmp-python-saida.txt"
tcpdump -r "$TMP/icmp-python.pcap" -n -ttttt 2>/dev/null >"$OUT/icmp-python-tcpdump.txt"

# O mesmo ICMP num socket Python *conectado*: aparece na operação seguinte.
python3 "$OUT/icmp_conectado.py" "$NADA" >"$OUT/icmp-python-conectado.txt"

# --- Aula 2, extra: o Heartbeat com perda sorteada (semente 11) ---
"$BIN/heartbeat-server" --port 0 --loss 0.3 --seed 11 --dead-after 2 \
    >"$TMP/hb.out" 2>"$TMP/hb.log" &
HB=$!
PIDS+=("$HB")
wait_for "$TMP/hb.log" "127.0.0.1:"
HB_PORT=$(head -n 1 "$TMP/hb.log" | grep -o '127\.0\.0\.1:[0-9]*' | cut -d: -f2)
"$BIN/heartbeat-client" --port "$HB_PORT" --count 10 --interval 0.2 >/dev/null
wait_for "$TMP/hb.out" "parou"
kill "$HB"
wait "$HB" 2>/dev/null || true
cp "$TMP/hb.out" "$OUT/heartbeat-servidor.txt"

# --- Aula 1: TCP separa as conexões pela quádrupla, e todas usam a porta do servidor ---
"$BIN/web-server" --port 0 --root www 2>"$TMP/web.log" &
WEB=$!
PIDS+=("$WEB")
wait_for "$TMP/web.log" "127.0.0.1:"
WEB_PORT=$(head -n 1 "$TMP/web.log" | grep -o '127\.0\.0\.1:[0-9]*' | head -n 1 | cut -d: -f2)
# Dois clientes conectados (sem mandar nada ainda) e o ss olhando a porta.
python3 - "$WEB_PORT" >"$OUT/ss-duas-conexoes.txt" <<'PY'
import socket, subprocess, sys
porta = int(sys.argv[1])
clientes = [socket.create_connection(("127.0.0.1", porta)) for _ in range(2)]
saida = subprocess.run(["ss", "-tan", f"( sport = :{porta} or dport = :{porta} )"],
                       capture_output=True, text=True).stdout.splitlines()
# A ordem das linhas do ss não é estável: cabeçalho primeiro, o resto ordenado.
print(saida[0])
print("\n".join(sorted(saida[1:], key=lambda l: (l.split()[0] != "LISTEN", l))))
for c in clientes:
    c.close()
PY
kill "$WEB"
wait "$WEB" 2>/dev/null || true

# --- Aula 1: a fila de recepção cheia descarta datagramas, também no loopback ---
python3 "$OUT/fila_cheia.py" >"$OUT/fila-cheia.txt"

# --- Aula 00: um erro de compilação de verdade (usar um socket depois de movê-lo) ---
cp "$OUT/erro.rs" "$TMP/erro.rs" # o mesmo arquivo que a aula 00 mostra
(cd "$TMP" && rustc --edition 2024 --color never erro.rs 2>&1 || true) |
    sed "s|$TMP/||" >"$OUT/erro-compilador.txt"

# --- As aulas citam estes arquivos: atualiza os blocos marcados ---
# Um bloco cercado logo depois de `<!-- captura: ARQUIVO -->` (ou
# `<!-- captura: ARQUIVO linhas A-B -->`) nas aulas 00–02 (e no seu aprofundamento) recebe o conteúdo
# novo do arquivo; as linhas `$ comando` do começo do bloco ficam (a não ser
# que o próprio arquivo comece com `$ `: aí ele traz os comandos).
# tests/it/lessons_s2.rs confere que os blocos e os arquivos continuam iguais.
python3 - "$OUT" lessons/00-*.md lessons/01-*.md lessons/02-*.md lessons/aprofundamento/0[012]-*.md <<'PY'
import re, sys
out, aulas = sys.argv[1], sys.argv[2:]
marca = re.compile(r"<!-- captura: (\S+)(?: linhas (\d+)-(\d+))? -->")
for aula in aulas:
    linhas = open(aula, encoding="utf-8").read().split("\n")
    novo, i = [], 0
    while i < len(linhas):
        m = marca.search(linhas[i])
        novo.append(linhas[i])
        i += 1
        if not m:
            continue
        while not linhas[i].strip().startswith("```"):  # outros marcadores
            novo.append(linhas[i])
            i += 1
        cerca = linhas[i]
        recuo = cerca[: len(cerca) - len(cerca.lstrip())]
        novo.append(cerca)
        i += 1
        texto = open(f"{out}/{m.group(1)}", encoding="utf-8").read().rstrip("\n").split("\n")
        if m.group(2):
            texto = texto[int(m.group(2)) - 1 : int(m.group(3))]
        # Um arquivo que começa com `$ ` traz os próprios comandos.
        while linhas[i].strip().startswith("$ ") and not texto[0].startswith("$ "):
            novo.append(linhas[i])
            i += 1
        while linhas[i].strip() != "```":
            i += 1
        novo += [(recuo + l).rstrip() if l.strip() else "" for l in texto]
    open(aula, "w", encoding="utf-8").write("\n".join(novo))
PY

echo "secao2.sh: capturas em $OUT/ (e blocos marcados das aulas 00–02 atualizados)"
ls "$OUT"/*.txt
