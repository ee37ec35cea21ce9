# A fila de recepção de um socket UDP tem tamanho fixo. Este experimento manda
# 20 000 datagramas, no loopback, para um socket que ainda não está lendo, e
# depois conta quantos estão na fila. Roda em qualquer sistema (os números
# mudam: o tamanho padrão da fila é diferente no Linux, no macOS e no Windows).
#   python3 lessons/capturas/fila_cheia.py
import socket

ENVIADOS = 20_000

def descartes_do_kernel():
    """No Linux, o contador RcvbufErrors de /proc/net/snmp (fila UDP cheia)."""
    try:
        with open("/proc/net/snmp") as f:
            linhas = [l.split() for l in f if l.startswith("Udp:")]
        nomes, valores = linhas[0], linhas[1]
        return int(valores[nomes.index("RcvbufErrors")])
    except (OSError, ValueError, IndexError):
        return None

receptor = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
receptor.bind(("127.0.0.1", 0))
emissor = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

antes = descartes_do_kernel()
for i in range(ENVIADOS):
    emissor.sendto(b"Ping %d" % i, receptor.getsockname())  # nenhum erro aqui
depois = descartes_do_kernel()

receptor.setblocking(False)
recebidos = 0
while True:
    try:
        receptor.recv(2048)
        recebidos += 1
    except BlockingIOError:
        break

fila = receptor.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
print(f"enviados: {ENVIADOS}, recebidos: {recebidos}, SO_RCVBUF: {fila} bytes")
if antes is not None:
    print(f"RcvbufErrors (/proc/net/snmp) subiu {depois - antes}")
