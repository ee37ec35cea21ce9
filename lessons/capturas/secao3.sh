#!/usr/bin/env bash
# Regenera as capturas e os traços que a aula 3 (lessons/03-web-server.md e
# lessons/aprofundamento/03-*.md) cita.
#
# SÓ LINUX, COMO ROOT (tcpdump e strace precisam), e com tcpdump, strace, ss,
# nstat (pacote iproute2), curl e python3 instalados. Não faz parte de
# `make test` nem da CI. Roda num namespace de rede próprio (`unshare -n`,
# veja abaixo) e usa só o loopback dele, nas portas 6789 e 6790 (e 6791
# para o Python); elas precisam estar livres. Rode da raiz do repositório:
#
#     sudo bash lessons/capturas/secao3.sh
#
# Escreve lessons/capturas/*.txt. As portas efêmeras, os números de
# sequência e as horas mudam a cada execução; o resto deve sair igual.
set -euo pipefail

# Num namespace de rede só nosso (com só o loopback), para que as conexões
# de outros programas da máquina não apareçam no `ss` nem no `nstat`: o
# script se roda de novo dentro de `unshare -n`, se o unshare existir.
if [ -z "${SECAO3_NETNS:-}" ] && command -v unshare >/dev/null; then
    export SECAO3_NETNS=1
    exec unshare -n -- bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi

cd "$(dirname "$0")/../.."
OUT=lessons/capturas
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release
P=6789      # web-server (o de verdade)
PM=6790     # minimal-web-server e o ouvinte Python que não aceita
PP=6791     # o esqueleto em Python
TMP=$(mktemp -d)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

for tool in tcpdump strace ss nstat curl python3; do
    command -v "$tool" >/dev/null || { echo "falta $tool" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "rode como root (tcpdump e strace)" >&2; exit 1; }
# Nada pode estar escutando nas portas; a 6791 não pode nem ter conexões em
# TIME-WAIT, porque o esqueleto em Python não usa SO_REUSEADDR.
for port in $P $PM; do
    if ss -Htln "( sport = :$port )" | grep -q .; then
        echo "a porta $port está em uso; pare o programa que escuta nela" >&2
        exit 1
    fi
done
if ss -Htan "( sport = :$PP or dport = :$PP )" | grep -q .; then
    echo "a porta $PP está em uso ou em TIME-WAIT; espere um minuto" >&2
    exit 1
fi

cargo build --release --quiet --bins

# Espera até `port` aceitar conexões (no máximo 5 s).
wait_port() {
    for _ in $(seq 100); do
        ss -Htln "( sport = :$1 )" | grep -q . && return 0
        sleep 0.05
    done
    echo "ninguém escutando em $1" >&2
    exit 1
}

# Sobe o tcpdump no loopback com o filtro $1, grava em $TMP/pcap.txt.
# Tira as opções TCP ([mss ..., TS val ...]) para as linhas caberem na tela.
start_tcpdump() {
    tcpdump -i lo -nn -l -U -ttttt "$1" >"$TMP/pcap.txt" 2>"$TMP/tcpdump.err" &
    TCPDUMP=$!
    PIDS+=("$TCPDUMP")
    for _ in $(seq 100); do
        grep -q listening "$TMP/tcpdump.err" 2>/dev/null && return 0
        sleep 0.05
    done
}
stop_tcpdump() {
    sleep 0.5
    kill "$TCPDUMP"
    wait "$TCPDUMP" 2>/dev/null || true
    sed -E 's/, options \[[^]]*\]//' "$TMP/pcap.txt"
}

header() {
    echo "# $1"
    echo "# gerado por lessons/capturas/secao3.sh em $(date -u +%Y-%m-%d) ($(uname -sr))"
    echo
}

# --- 1. strace do TcpListener::bind ------------------------------------------
{
    header "strace de web-server: as chamadas que TcpListener::bind faz"
    echo "\$ strace -e trace=socket,setsockopt,bind,listen target/release/web-server"
    timeout 1 strace -e trace=socket,setsockopt,bind,listen "$BIN/web-server" --port $P 2>&1 |
        grep -E '^(socket|setsockopt|bind|listen)' || true
} >"$OUT/bind-strace.txt"

# --- 2. Um GET inteiro no fio: apresentação de três vias, requisição, resposta, FIN, TIME-WAIT ---
"$BIN/web-server" --port $P 2>/dev/null &
SRV=$!
PIDS+=("$SRV")
wait_port $P
start_tcpdump "tcp port $P"
# --ignore-content-length: o curl lê até o servidor fechar, como o cliente do
# esqueleto. Um cliente que para no Content-Length (o nosso 3c) às vezes fecha
# antes do servidor: quem manda o primeiro FIN vira uma corrida.
curl -s -o /dev/null --ignore-content-length "http://127.0.0.1:$P/index.html"
stop_tcpdump >"$TMP/get.txt"
# A porta efêmera do cliente, tirada do primeiro SYN.
CPORT=$(head -1 "$TMP/get.txt" | awk '{print $3}' | awk -F. '{print $NF}')
{
    header "tcpdump -i lo -nn -ttttt 'tcp port $P' (opções TCP omitidas) enquanto o curl pede index.html ao 3b"
    echo "\$ curl -s -o /dev/null --ignore-content-length http://127.0.0.1:$P/index.html"
    cat "$TMP/get.txt"
    echo
    FILTER="( sport = :$CPORT and dport = :$P ) or ( sport = :$P and dport = :$CPORT )"
    echo "\$ ss -tan '$FILTER'    (logo depois)"
    ss -tan "$FILTER"
} >"$OUT/get-tcpdump.txt"

# --- 3. Sockets de boas-vindas e conectados, com as portas de verdade --------
python3 - "$P" >"$TMP/clientes.txt" <<'EOF' &
import socket, sys, time
# Dois clientes que conectam e ficam calados por 2 s (o 3b dá uma thread a cada um).
a = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
b = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print("conectados", flush=True)
time.sleep(2)
EOF
PY=$!
PIDS+=("$PY")
for _ in $(seq 100); do grep -q conectados "$TMP/clientes.txt" && break; sleep 0.05; done
sleep 0.2
{
    header "ss com o 3b (make serve) e dois clientes conectados e calados"
    echo "\$ ss -tan '( sport = :$P or dport = :$P )'    (linhas em ordem alfabética)"
    ss -tan "( sport = :$P or dport = :$P )" | head -1
    ss -Htan "( sport = :$P or dport = :$P )" | grep -v TIME-WAIT | sort
} >"$OUT/ss-portas.txt"
wait "$PY" || true

# --- 4. Fechar com bytes não lidos: RST no mínimo, FIN no de verdade --------
# Um GET com corpo de 3000 bytes: o mínimo lê 1024 e fecha com o resto na fila.
head -c 3000 /dev/zero | tr '\0' 'x' >"$TMP/corpo.txt"
"$BIN/minimal-web-server" --port $PM 2>/dev/null &
MIN=$!
PIDS+=("$MIN")
wait_port $PM
for target in "minimal-web-server:$PM" "web-server:$P"; do
    name=${target%%:*}
    port=${target##*:}
    start_tcpdump "tcp port $port"
    set +e
    RESULT=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Expect:' -X GET --ignore-content-length \
        --data-binary @"$TMP/corpo.txt" "http://127.0.0.1:$port/index.html" 2>&1)
    CODE=$?
    set -e
    {
        header "tcpdump: GET com 3000 bytes de corpo para o $name (opções TCP omitidas)"
        echo "\$ curl -sS -o /dev/null -w '%{http_code}' -H 'Expect:' -X GET --ignore-content-length --data-binary @corpo.txt http://127.0.0.1:$port/index.html"
        echo "$RESULT  (código de saída do curl: $CODE)"
        echo
        stop_tcpdump
    } >"$OUT/fechar-$name.txt"
done

# Agora um arquivo de 8 MiB e um cliente que lê devagar: o RST descarta o
# que ainda estava no buffer de envio do servidor.
mkdir -p "$TMP/www"
head -c 8388608 /dev/urandom >"$TMP/www/grande8.bin"
cp www/index.html "$TMP/www/"
kill "$SRV"
wait "$SRV" 2>/dev/null || true
"$BIN/web-server" --port $P --root "$TMP/www" 2>/dev/null &
SRV8=$!
PIDS+=("$SRV8")
kill "$MIN"
wait "$MIN" 2>/dev/null || true
"$BIN/minimal-web-server" --port $PM --root "$TMP/www" 2>/dev/null &
MIN=$!
PIDS+=("$MIN")
wait_port $PM
cat >"$TMP/devagar.py" <<'EOF2'
import socket, sys, time
# GET de 8 MiB com 3000 bytes de corpo; lê 64 KiB a cada 10 ms (um cliente lento).
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /grande8.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n" + b"x" * 3000)
got = 0
try:
    while True:
        data = s.recv(65536)
        if not data:
            break
        got += len(data)
        time.sleep(0.01)
    print(f"porta {sys.argv[1]}: fim normal (FIN) depois de {got} bytes")
except OSError as e:
    print(f"porta {sys.argv[1]}: {e} depois de {got} bytes")
EOF2
{
    header "um cliente Python lento (64 KiB a cada 10 ms) pede 8 MiB, mandando 3000 bytes de corpo que ninguém lê"
    echo "# a resposta inteira tem 8388608 bytes de corpo mais o cabeçalho"
    echo "\$ python3 devagar.py $PM    # minimal-web-server"
    python3 "$TMP/devagar.py" $PM
    echo "\$ python3 devagar.py $P    # web-server"
    python3 "$TMP/devagar.py" $P
} >"$OUT/fechar-devagar.txt"
kill "$MIN" "$SRV8"
wait "$MIN" "$SRV8" 2>/dev/null || true

# --- 5. io::copy de um arquivo grande: read + sendto de 8 KiB, sem sendfile --
head -c 1048576 /dev/urandom >"$TMP/www/grande.bin"
strace -f -o "$TMP/strace.txt" -e trace=openat,read,sendto,write,sendfile,splice,copy_file_range \
    "$BIN/web-server" --port $P --root "$TMP/www" 2>/dev/null &
ST=$!
PIDS+=("$ST")
wait_port $P
curl -s -o /dev/null "http://127.0.0.1:$P/grande.bin"
sleep 0.3
# O strace só termina quando o programa que ele segue termina.
kill $(pgrep -P "$ST") 2>/dev/null || true
wait "$ST" 2>/dev/null || true
{
    header "strace -f do 3b servindo um arquivo de 1 MiB (curl -s -o /dev/null http://127.0.0.1:$P/grande.bin)"
    echo "\$ strace -f -e trace=openat,read,sendto,write,sendfile,splice,copy_file_range target/release/web-server --root ..."
    TID=$(grep 'grande.bin' "$TMP/strace.txt" | awk '{print $1}' | head -1)
    # As primeiras chamadas depois de abrir o arquivo (dados binários encurtados).
    grep -A5 'grande.bin' "$TMP/strace.txt" | sed -E "s/^[0-9]+ +//; s|$TMP|/tmp/...|; s/(read|sendto)\(([0-9]+), \"([^\"\\\\]|\\\\.)*\"(\.\.\.)?/\1(\2, \"...\"/" | head -6
    echo "..."
    echo
    echo "contagem, na thread que atendeu a requisição:"
    for call in read sendto sendfile splice copy_file_range; do
        printf '  %-16s %s\n' "$call" "$(awk -v t="$TID" '$1 == t' "$TMP/strace.txt" | grep -c " $call(" || true)"
    done
} >"$OUT/io-copy-strace.txt"

# --- 6. A fila do listen cheia: o SYN é descartado e volta 1 s depois -------
python3 - "$PM" "$TMP/aceitar" >"$TMP/naoaceita.txt" <<'EOF' &
import os, socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)          # fila de 1: o Linux guarda até 2 conexões prontas
print("escutando", flush=True)
while not os.path.exists(sys.argv[2]):   # não chama accept até o script mandar
    time.sleep(0.01)
while True:
    c, _ = s.accept()
    c.close()
EOF
NA=$!
PIDS+=("$NA")
for _ in $(seq 100); do grep -q escutando "$TMP/naoaceita.txt" && break; sleep 0.05; done
start_tcpdump "tcp port $PM and tcp[tcpflags] & tcp-syn != 0"
nstat -n >/dev/null
sleep 0.5
for i in 1 2 3 4; do
    curl -s -o /dev/null -m 8 -w "cliente $i: connect levou %{time_connect} s\n" "http://127.0.0.1:$PM/" >"$TMP/curl$i.txt" &
    PIDS+=("$!")
    sleep 0.01
done
sleep 0.3
# A fila enquanto ninguém chama accept: Recv-Q é quantas conexões prontas
# esperam, Send-Q é o backlog requisitado.
SSFILA=$(ss -tln "( sport = :$PM )")
# Meio segundo depois dos clientes, o servidor começa a aceitar: antes da
# primeira repetição do SYN, que vem 1 s depois do SYN original.
sleep 0.2
touch "$TMP/aceitar"
sleep 2.5
{
    header "listen(1) que só chama accept meio segundo depois de quatro clientes (curl) conectarem ao mesmo tempo"
    echo "\$ ss -tln '( sport = :$PM )'    (antes do primeiro accept)"
    echo "$SSFILA"
    echo
    cat "$TMP"/curl?.txt
    echo
    echo "\$ nstat | grep -E 'ListenOverflows|ListenDrops|SynRetrans'"
    nstat | grep -E 'ListenOverflows|ListenDrops|SynRetrans' | awk '{print $1, $2}'
    echo
    echo "\$ tcpdump -i lo -nn -ttttt 'tcp port $PM and tcp[tcpflags] & tcp-syn != 0'    (só SYN e SYN-ACK)"
    stop_tcpdump
} >"$OUT/fila-listen.txt"
kill "$NA"

# --- 7. O esqueleto em Python sem SO_REUSEADDR, reiniciado logo depois ------
cat >"$TMP/esqueleto.py" <<EOF
from socket import *
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.bind(("127.0.0.1", $PP))
serverSocket.listen(1)
connectionSocket, addr = serverSocket.accept()
message = connectionSocket.recv(1024)
connectionSocket.send(b"HTTP/1.1 200 OK\r\n\r\noi\n")   # sem Content-Length: o fim é o close
connectionSocket.close()
serverSocket.close()
EOF
python3 "$TMP/esqueleto.py" &
PE=$!
PIDS+=("$PE")
wait_port $PP
curl -s -o /dev/null "http://127.0.0.1:$PP/"
wait "$PE" || true
{
    header "o esqueleto em Python (sem SO_REUSEADDR) atende uma requisição, sai, e é rodado de novo"
    echo "\$ ss -tan '( sport = :$PP )'"
    ss -tan "( sport = :$PP )"
    echo
    echo "\$ python3 esqueleto.py"
    timeout 3 python3 "$TMP/esqueleto.py" 2>&1 | tail -1 || true
    echo
    echo "e o nosso servidor na mesma situação: atende uma requisição, é parado e sobe de novo"
    "$BIN/web-server" --port $P 2>/dev/null &
    WS=$!
    wait_port $P
    curl -s -o /dev/null "http://127.0.0.1:$P/"
    kill "$WS"
    wait "$WS" 2>/dev/null || true
    echo "\$ ss -tan '( sport = :$P )'"
    ss -tan "( sport = :$P )" | head -1
    ss -Htan "( sport = :$P )" | sort
    echo "\$ target/release/web-server --port $P"
    timeout 1 "$BIN/web-server" --port $P 2>&1 | cut -c1-50 || true
} >"$OUT/reuseaddr.txt"


# --- 8. Um cliente calado: quanto ele atrasa o próximo, em 3a e em 3b ------
for mode in "--single:3a" ":3b"; do
    flag=${mode%%:*}
    name=${mode##*:}
    "$BIN/web-server" $flag --port $P 2>"$TMP/log-$name.txt" &
    WS=$!
    PIDS+=("$WS")
    wait_port $P
    python3 -c "import socket,time; s=socket.create_connection(('127.0.0.1',$P)); print('ok', flush=True); time.sleep(15)" >"$TMP/calado.txt" &
    CAL=$!
    PIDS+=("$CAL")
    for _ in $(seq 100); do grep -q ok "$TMP/calado.txt" && break; sleep 0.05; done
    curl -s -o /dev/null -w "$name: o segundo cliente recebeu %{http_code} depois de %{time_total} s\n" \
        "http://127.0.0.1:$P/" >>"$TMP/calado-tempos.txt"
    kill "$CAL" "$WS"
    wait "$WS" 2>/dev/null || true
    sed -E 's/^[0-9T:-]+Z //; s/127\.0\.0\.1:[0-9]+/127.0.0.1:PORTA/' "$TMP/log-$name.txt" | grep -v escutando >>"$TMP/calado-logs.txt" || true
done
{
    header "um cliente conecta e fica calado; logo depois, um segundo cliente (curl) pede /"
    cat "$TMP/calado-tempos.txt"
    echo
    echo "log dos servidores (3a e depois 3b; hora e porta do cliente omitidas):"
    cat "$TMP/calado-logs.txt"
} >"$OUT/cliente-calado.txt"

# --- 9. Um cliente lento para baixar prende a 3a durante a transferência ---
head -c 33554432 /dev/urandom >"$TMP/www/grande32.bin"
"$BIN/web-server" --single --port $P --root "$TMP/www" 2>/dev/null &
WS=$!
PIDS+=("$WS")
wait_port $P
cat >"$TMP/lento.py" <<'EOF2'
import socket, sys, time
# Pede 32 MiB e lê 64 KiB a cada 10 ms (uns 6 MB/s).
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /grande32.bin HTTP/1.1\r\nHost: x\r\n\r\n")
start = time.monotonic()
print("conectado", flush=True)
while s.recv(65536):
    time.sleep(0.01)
print(f"o download lento levou {time.monotonic() - start:.1f} s", flush=True)
EOF2
python3 "$TMP/lento.py" $P >"$TMP/lento.txt" &
LENTO=$!
PIDS+=("$LENTO")
for _ in $(seq 100); do grep -q conectado "$TMP/lento.txt" && break; sleep 0.05; done
sleep 0.2
SEGUNDO=$(curl -s -o /dev/null -w "3a: o segundo cliente recebeu %{http_code} depois de %{time_total} s" "http://127.0.0.1:$P/index.html")
wait "$LENTO" || true
kill "$WS"
wait "$WS" 2>/dev/null || true
{
    header "3a: um cliente Python baixa 32 MiB devagar (64 KiB a cada 10 ms); 0,2 s depois, o curl pede index.html"
    grep -v conectado "$TMP/lento.txt"
    echo "$SEGUNDO"
} >"$OUT/cliente-lento.txt"

# --- 10. send parcial em Python: bloqueante manda tudo, com settimeout não -
cat >"$TMP/send_parcial.py" <<'EOF2'
import socket, threading, time
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
cliente = socket.create_connection(srv.getsockname())
conn, _ = srv.accept()
dados = b"x" * (32 * 1024 * 1024)
def le_devagar():
    while cliente.recv(65536):
        time.sleep(0.001)
threading.Thread(target=le_devagar, daemon=True).start()
n = conn.send(dados)
print(f"socket bloqueante: send devolveu {n} de {len(dados)}")
conn.settimeout(5)
n = conn.send(dados)
print(f"com settimeout(5): send devolveu {n} de {len(dados)}")
EOF2
{
    header "send() de 32 MiB para um cliente que lê devagar, em Python (o programa está em secao3.sh)"
    echo "\$ python3 send_parcial.py"
    python3 "$TMP/send_parcial.py"
} >"$OUT/send-parcial.txt"

echo "capturas escritas em $OUT/:"
ls "$OUT"/*.txt
