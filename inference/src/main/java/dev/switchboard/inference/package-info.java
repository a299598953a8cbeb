/**
 * Local sentence embeddings: {@link dev.switchboard.inference.EmbeddingModel} runs one ONNX model with DJL's
 * OnnxRuntime engine and a HuggingFace tokenizer; {@link dev.switchboard.inference.EmbeddingService} batches
 * concurrent requests into forward passes on a bounded queue that refuses work when full, and swaps models while
 * running; {@link dev.switchboard.inference.InferenceVerticle} puts it on the event bus at the addresses of
 * {@link dev.switchboard.inference.InferenceAddresses}.
 *
 * <p>This is the only module that imports {@code ai.djl}; nothing outside it sees a DJL type. Model weights come
 * from Maven artifacts on the classpath or from a local folder: nothing is downloaded at run time.
 */
package dev.switchboard.inference;
