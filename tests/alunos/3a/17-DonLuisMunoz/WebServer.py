# Recriação do comportamento de DonLuisMunoz/WebServer:WebServer.py (não é o código original); veredito: reprovado
# http.server devolvendo sempre a mesma página, montada com dados da requisição: nunca manda o arquivo
# pedido nem um 404. (O original usa a porta 8080.)
from http.server import BaseHTTPRequestHandler, HTTPServer

MODELO = """<html><body><table>
<tr><td>Date and time</td><td>{quando}</td></tr>
<tr><td>Client host</td><td>{host}</td></tr>
<tr><td>Command</td><td>{comando}</td></tr>
<tr><td>Path</td><td>{caminho}</td></tr>
</table></body></html>
"""


class Pagina(BaseHTTPRequestHandler):
    def do_GET(self):
        corpo = MODELO.format(
            quando=self.date_time_string(), host=self.client_address[0], comando=self.command, caminho=self.path
        ).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(corpo)))
        self.end_headers()
        self.wfile.write(corpo)


HTTPServer(("", 6789), Pagina).serve_forever()
