// Fogbank's Python runtime, shipped as source and written next to the code cache on first use:
// imports the handler module from the task root and loops on the Lambda Runtime API, formatting
// errors as AWS's Python runtime (awslambdaric) does. It exits when its stdin closes.

export const PYTHON_BOOTSTRAP = String.raw`
import importlib, json, os, socket, sys, threading, time, traceback

_api = os.environ['AWS_LAMBDA_RUNTIME_API']
_host, _, _prefix = _api.partition('/')
_prefix = ('/' + _prefix) if _prefix else ''


class _RuntimeClient(object):
    # HTTP/1.1 on one kept-alive socket, replies read in order: a result is posted together with
    # the next /next (pipelined) in one write. Fogbank's Runtime API always sends Content-Length.

    def __init__(self, hostport):
        host, _, port = hostport.rpartition(':')
        self._sock = socket.create_connection((host, int(port)))
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buf = b''

    def send(self, *requests):
        out = []
        for method, path, body, headers in requests:
            data = body.encode('utf-8') if isinstance(body, str) else (body or b'')
            head = '%s %s/2018-06-01%s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n' % (method, _prefix, path, _host, len(data))
            for name, value in (headers or {}).items():
                head += '%s: %s\r\n' % (name, value)
            out.append(head.encode('latin-1') + b'\r\n' + data)
        self._sock.sendall(b''.join(out))

    def read(self):
        while b'\r\n\r\n' not in self._buf:
            self._fill()
        head, _, self._buf = self._buf.partition(b'\r\n\r\n')
        lines = head.decode('latin-1').split('\r\n')
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(':')
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get('content-length', '0'))
        while len(self._buf) < length:
            self._fill()
        body, self._buf = self._buf[:length], self._buf[length:]
        return headers, body

    def _fill(self):
        chunk = self._sock.recv(65536)
        if not chunk:
            raise ConnectionError('Runtime API connection closed')
        self._buf += chunk


_client = _RuntimeClient(_host)

def _watch_stdin():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)

threading.Thread(target=_watch_stdin, daemon=True).start()

def _call(method, path, body=None, headers=None):
    _client.send((method, path, body, headers))
    return _client.read()

def _log(text):
    # One log event per message: newlines travel as \r and Fogbank turns them back.
    sys.stdout.write(text.replace('\r\n', '\r').replace('\n', '\r') + '\n')
    sys.stdout.flush()

def _user_frames(tb):
    frames = traceback.extract_tb(tb)
    while frames and frames[0].filename == __file__:
        frames = frames[1:]
    return traceback.format_list(frames)

def _error(exc, request_id='', error_type=None, message=None):
    stack = _user_frames(exc.__traceback__)
    payload = {
        'errorMessage': message if message is not None else str(exc),
        'errorType': error_type or type(exc).__name__,
        'requestId': request_id,
        'stackTrace': stack,
    }
    _log('[ERROR] %s: %s\nTraceback (most recent call last):\n%s' % (payload['errorType'], payload['errorMessage'], ''.join(stack)))
    return payload

def _init_error(payload):
    _call('POST', '/runtime/init/error', json.dumps(payload), {'Lambda-Runtime-Function-Error-Type': payload['errorType']})
    sys.stdout.flush()
    # Not sys.exit: interpreter shutdown would wait on the thread blocked reading stdin.
    os._exit(1)

def _load_handler():
    spec = os.environ.get('_HANDLER', '')
    try:
        module_name, function_name = spec.rsplit('.', 1)
    except ValueError as e:
        _init_error({'errorMessage': "Bad handler '%s': %s" % (spec, e), 'errorType': 'Runtime.MalformedHandlerName', 'requestId': '', 'stackTrace': []})
    module_name = module_name.replace('/', '.')
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s\n' % (e.filename, e.lineno, (e.text or '').strip())]
        payload = {'errorMessage': "Syntax error in module '%s': %s" % (module_name, e), 'errorType': 'Runtime.UserCodeSyntaxError', 'requestId': '', 'stackTrace': trace}
        _log('[ERROR] Runtime.UserCodeSyntaxError: %s\nTraceback (most recent call last):\n%s' % (payload['errorMessage'], ''.join(trace)))
        _init_error(payload)
    except ImportError as e:
        payload = {'errorMessage': "Unable to import module '%s': %s" % (module_name, e), 'errorType': 'Runtime.ImportModuleError', 'requestId': '', 'stackTrace': []}
        _log('[ERROR] Runtime.ImportModuleError: %s\nTraceback (most recent call last):' % payload['errorMessage'])
        _init_error(payload)
    except Exception as e:
        _init_error(_error(e))
    handler = getattr(module, function_name, None)
    if handler is None:
        payload = {'errorMessage': "Handler '%s' missing on module '%s'" % (function_name, module_name), 'errorType': 'Runtime.HandlerNotFound', 'requestId': '', 'stackTrace': []}
        _log('[ERROR] Runtime.HandlerNotFound: %s\nTraceback (most recent call last):' % payload['errorMessage'])
        _init_error(payload)
    return handler

class LambdaContext(object):
    def __init__(self, request_id, deadline_ms, arn, client_context):
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self.function_name = os.environ.get('AWS_LAMBDA_FUNCTION_NAME')
        self.function_version = os.environ.get('AWS_LAMBDA_FUNCTION_VERSION')
        self.memory_limit_in_mb = os.environ.get('AWS_LAMBDA_FUNCTION_MEMORY_SIZE')
        self.log_group_name = os.environ.get('AWS_LAMBDA_LOG_GROUP_NAME')
        self.log_stream_name = os.environ.get('AWS_LAMBDA_LOG_STREAM_NAME')
        self.client_context = client_context
        self.identity = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))

def main():
    # AWS's order: the task root first (in place of this script's folder), then PYTHONPATH's
    # layer folders, then the interpreter's own.
    sys.path[0] = os.environ.get('LAMBDA_TASK_ROOT', os.getcwd())
    handler = _load_handler()
    _client.send(('GET', '/runtime/invocation/next', None, None))
    while True:
        headers, body = _client.read()
        request_id = headers.get('lambda-runtime-aws-request-id')
        deadline = int(headers.get('lambda-runtime-deadline-ms'))
        os.environ['_X_AMZN_TRACE_ID'] = headers.get('lambda-runtime-trace-id') or ''
        client_context = headers.get('lambda-runtime-client-context')
        context = LambdaContext(request_id, deadline, headers.get('lambda-runtime-invoked-function-arn'), json.loads(client_context) if client_context else None)
        try:
            event = json.loads(body or b'null')
            result = handler(event, context)
            try:
                outcome = ('/runtime/invocation/%s/response' % request_id, json.dumps(result), None)
            except Exception as e:
                payload = _error(e, request_id, 'Runtime.MarshalError', 'Unable to marshal response: %s' % e)
                payload['stackTrace'] = []
                outcome = ('/runtime/invocation/%s/error' % request_id, json.dumps(payload), {'Lambda-Runtime-Function-Error-Type': payload['errorType']})
        except Exception as e:
            payload = _error(e, request_id)
            outcome = ('/runtime/invocation/%s/error' % request_id, json.dumps(payload), {'Lambda-Runtime-Function-Error-Type': payload['errorType']})
        path, text, extra = outcome
        _client.send(('POST', path, text, extra), ('GET', '/runtime/invocation/next', None, None))
        _client.read()  # the 202 for the result; the next invocation follows

if __name__ == '__main__':
    main()
`;
