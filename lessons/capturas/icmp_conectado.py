# O ICMP "porta inalcançável" num socket UDP *conectado*, em Python: o erro
# provocado por um datagrama aparece na PRÓXIMA operação do socket (um send
# ou um recv), uma vez só. Sem connect (como no cliente do enunciado), o
# erro nunca aparece, e o recv espera o timeout inteiro.
# Roda em qualquer sistema:  python3 lessons/capturas/icmp_conectado.py PORTA_SEM_NINGUEM
# (no Windows o erro é ConnectionResetError, WSAECONNRESET 10054).
import socket
import sys
import time

porta = int(sys.argv[1]) if len(sys.argv) > 1 else 12999
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", porta))  # UDP: não manda nada, só fixa o destino
s.settimeout(1)
s.send(b"Ping 1")                 # o kernel do outro lado responde com ICMP
time.sleep(0.1)
for n, operacao in [(2, "send"), (3, "send"), (3, "recv")]:
    inicio = time.perf_counter()
    try:
        if operacao == "send":
            s.send(b"Ping %d" % n)
        else:
            s.recv(1024)
        resultado = "ok"
    except OSError as e:
        resultado = type(e).__name__
    print(f"{operacao} (ping {n}): {resultado} em {time.perf_counter() - inicio:.3f} s")
    time.sleep(0.1)
