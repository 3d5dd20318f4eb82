"""The most atomic way to train and inference a GPT in pure, dependency-free Python.
This file is the complete algorithm. Everything else is just efficiency. @karpathy"""

import os, math, operator, random, urllib.request # os.path.exists, math.log/exp, operator.add/mul, random.*
random.seed(42) # Let there be order among chaos

# Let there be an input dataset `docs`: list[str] of documents (e.g. a dataset of names)
names_url = 'https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt'
if not os.path.exists('input.txt'): urllib.request.urlretrieve(names_url, 'input.txt')
docs = [l.strip() for l in open('input.txt').read().strip().split('\n') if l.strip()] # list[str] of documents
random.shuffle(docs)
print(f"num docs: {len(docs)}")

# Let there be a Tokenizer to translate strings to discrete symbols and back
uchars = sorted(set(''.join(docs))) # unique characters in the dataset become token ids 0..n-1
BOS, vocab_size = len(uchars), len(uchars) + 1 # token id for the Beginning of Sequence (BOS) token, +1 in vocab for it
print(f"vocab size: {vocab_size}")

# Let there be Autograd, to recursively apply the chain rule through a computation graph
class Value:
    __slots__ = ('data', 'grad', '_children', '_local_grads') # Python optimization for memory usage
    def __init__(self, data, children=(), local_grads=()): # forward value, d(loss)/d(node), children, d(node)/d(child)
        self.data, self.grad, self._children, self._local_grads = data, 0, children, local_grads
    def binary(op, local_grads): # a binary dunder from an `operator` function and its local gradients
        node = lambda self, other: Value(op(self.data, other.data), (self, other), local_grads(self.data, other.data))
        return lambda self, other: node(self, other if isinstance(other, Value) else Value(other))
    __add__ = __radd__ = binary(operator.add, lambda a, b: (1, 1)) # r-versions: Value's data stays on the left
    __mul__ = __rmul__ = binary(operator.mul, lambda a, b: (b, a))
    def __pow__(self, other): return Value(self.data**other, (self,), (other * self.data**(other-1),))
    def log(self): return Value(math.log(self.data), (self,), (1/self.data,))
    def exp(self): return Value(math.exp(self.data), (self,), (math.exp(self.data),))
    def relu(self): return Value(max(0, self.data), (self,), (float(self.data > 0),))
    def __neg__(self): return self * -1
    __sub__, __rsub__ = lambda self, other: self + (-other), lambda self, other: other + (-self)
    __truediv__, __rtruediv__ = lambda self, other: self * other**-1, lambda self, other: other * self**-1
    def backward(self):
        topo = {} # node -> None: a set that keeps the order nodes were finished in
        def build_topo(v):
            if v not in topo:
                for child in v._children: build_topo(child)
                topo[v] = None
        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            for child, local_grad in zip(v._children, v._local_grads): child.grad += local_grad * v.grad

# Initialize the parameters, to store the knowledge of the model.
n_embd, n_head, n_layer, block_size = 16, 4, 1, 16 # embedding dimension, attention heads, layers, max sequence length
head_dim = n_embd // n_head # dimension of each head
matrix = lambda nout, nin, std=0.08: [[Value(random.gauss(0, std)) for _ in range(nin)] for _ in range(nout)]
state_dict = dict(wte=matrix(vocab_size, n_embd), wpe=matrix(block_size, n_embd), lm_head=matrix(vocab_size, n_embd))
for i in range(n_layer):
    state_dict |= {f'layer{i}.attn_{w}': matrix(n_embd, n_embd) for w in ('wq', 'wk', 'wv', 'wo')}
    state_dict |= {f'layer{i}.mlp_fc1': matrix(4 * n_embd, n_embd), f'layer{i}.mlp_fc2': matrix(n_embd, 4 * n_embd)}
params = [p for mat in state_dict.values() for row in mat for p in row] # flatten params into a single list[Value]
print(f"num params: {len(params)}")

# Define the model architecture: a stateless function mapping token sequence and parameters to logits
# over what comes next.
# Follow GPT-2, blessed among the GPTs, with minor differences: layernorm -> rmsnorm, no biases, GeLU -> ReLU
def linear(x, w): return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]
def softmax(logits):
    max_val = max(val.data for val in logits)
    exps = [(val - max_val).exp() for val in logits]
    total = sum(exps)
    return [e / total for e in exps]
def rmsnorm(x):
    scale = (sum(xi * xi for xi in x) / len(x) + 1e-5) ** -0.5 # 1 / sqrt(mean square + eps)
    return [xi * scale for xi in x]
def gpt(token_id, pos_id, keys, values):
    x = rmsnorm([t + p for t, p in zip(state_dict['wte'][token_id], state_dict['wpe'][pos_id])]) # token + position
    for li in range(n_layer):
        # 1) Multi-head attention block
        x_residual, x, x_attn = x, rmsnorm(x), [] # x_attn gathers the heads' outputs
        q, k, v = (linear(x, state_dict[f'layer{li}.attn_{name}']) for name in ('wq', 'wk', 'wv'))
        keys[li].append(k)
        values[li].append(v)
        for hs in [slice(h * head_dim, (h + 1) * head_dim) for h in range(n_head)]: # each head's share of a vector
            attn_weights = softmax([sum(qi * ki for qi, ki in zip(q[hs], k_t[hs])) / head_dim**0.5 for k_t in keys[li]])
            x_attn += [sum(w_t * v_t[hs][j] for w_t, v_t in zip(attn_weights, values[li])) for j in range(head_dim)]
        x = [a + b for a, b in zip(linear(x_attn, state_dict[f'layer{li}.attn_wo']), x_residual)]
        # 2) MLP block
        hidden = [xi.relu() for xi in linear(rmsnorm(x), state_dict[f'layer{li}.mlp_fc1'])]
        x = [a + b for a, b in zip(linear(hidden, state_dict[f'layer{li}.mlp_fc2']), x)] # x is still the residual
    return linear(x, state_dict['lm_head'])

# Let there be Adam, the blessed optimizer and its buffers
learning_rate, beta1, beta2, eps_adam = 0.01, 0.85, 0.99, 1e-8
m, v = [0.0] * len(params), [0.0] * len(params) # first and second moment buffers

# Repeat in sequence
num_steps = 1000 # number of training steps
for step in range(num_steps):
    # Take single document, tokenize it, surround it with BOS special token on both sides
    tokens = [BOS] + [uchars.index(ch) for ch in docs[step % len(docs)]] + [BOS]
    # Forward the token sequence through the model, building up the computation graph all the way to the loss.
    n, keys, values = min(block_size, len(tokens) - 1), [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = [-softmax(gpt(tokens[pos_id], pos_id, keys, values))[tokens[pos_id + 1]].log() for pos_id in range(n)]
    loss = (1 / n) * sum(losses) # final average loss over the document sequence. May yours be low.
    # Backward the loss, calculating the gradients with respect to all model parameters.
    loss.backward()
    # Adam optimizer update: update the model parameters based on the corresponding gradients.
    lr_t = learning_rate * (1 - step / num_steps) # linear learning rate decay
    for i, p in enumerate(params):
        m[i], v[i] = beta1 * m[i] + (1 - beta1) * p.grad, beta2 * v[i] + (1 - beta2) * p.grad ** 2
        m_hat, v_hat = m[i] / (1 - beta1 ** (step + 1)), v[i] / (1 - beta2 ** (step + 1)) # bias correction
        p.data, p.grad = p.data - lr_t * m_hat / (v_hat ** 0.5 + eps_adam), 0
    print(f"step {step+1:4d} / {num_steps:4d} | loss {loss.data:.4f}")

# Inference: may the model babble back to us
temperature = 0.5 # in (0, 1], control the "creativity" of generated text, low to high
print("\n--- inference (new, hallucinated names) ---")
for sample_idx in range(20):
    keys, values, token_id, sample = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)], BOS, []
    for pos_id in range(block_size):
        probs = softmax([l / temperature for l in gpt(token_id, pos_id, keys, values)])
        token_id = random.choices(range(vocab_size), weights=[p.data for p in probs])[0]
        if token_id == BOS: break
        sample.append(uchars[token_id])
    print(f"sample {sample_idx+1:2d}: {''.join(sample)}")
